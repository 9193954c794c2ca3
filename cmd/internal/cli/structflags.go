package cli

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Settings defines one typed flag per field of the struct def points to,
// named by the field's JSON key (skipping the keys in skip), described by
// its `help` tag and showing def's value as the default. The fields of an
// embedded struct are settings too, as encoding/json flattens them. It returns the
// function that copies the flags the user gave, and only those, into a
// struct of the same type: a command applies it after the preset and the
// -config file, so that a flag overrides both and a flag left out
// overrides nothing (-gf_dim 64, -dynamic_reset=false).
func (f *FlagSet) Settings(def any, skip ...string) (apply func(target any)) {
	v := reflect.ValueOf(def).Elem()
	t := v.Type()
	given := reflect.New(t).Elem() // the values parsed from the command line
	given.Set(v)
	type setting struct {
		name  string
		index []int // the field's path through embedded structs
	}
	var fields []setting
	var walk func(t reflect.Type, path []int)
	walk = func(t reflect.Type, path []int) {
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			index := append(append([]int(nil), path...), i)
			if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
				walk(sf.Type, index)
				continue
			}
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "" || name == "-" || contains(skip, name) {
				continue
			}
			fields = append(fields, setting{name, index})
			f.Var(&fieldValue{given.FieldByIndex(index)}, name, sf.Tag.Get("help"))
		}
	}
	walk(t, nil)
	return func(target any) {
		tv := reflect.ValueOf(target).Elem()
		if tv.Type() != t {
			panic(fmt.Sprintf("cli: settings of %v applied to %v", t, tv.Type()))
		}
		for _, s := range fields {
			if f.IsSet(s.name) {
				tv.FieldByIndex(s.index).Set(given.FieldByIndex(s.index))
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// fieldValue is the flag.Value of a struct field of kind string, int,
// uint64, float64 or bool.
type fieldValue struct{ v reflect.Value }

func (f *fieldValue) String() string {
	if f == nil || !f.v.IsValid() {
		return ""
	}
	if f.v.Kind() == reflect.Float64 {
		return strconv.FormatFloat(f.v.Float(), 'g', -1, 64)
	}
	return fmt.Sprint(f.v.Interface())
}

func (f *fieldValue) Set(s string) error {
	switch f.v.Kind() {
	case reflect.String:
		f.v.SetString(s)
	case reflect.Int:
		n, err := strconv.ParseInt(s, 0, strconv.IntSize)
		if err != nil {
			return numError(err)
		}
		f.v.SetInt(n)
	case reflect.Uint64:
		n, err := strconv.ParseUint(s, 0, 64)
		if err != nil {
			return numError(err)
		}
		f.v.SetUint(n)
	case reflect.Float64:
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return numError(err)
		}
		f.v.SetFloat(x)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return numError(err)
		}
		f.v.SetBool(b)
	default:
		return fmt.Errorf("cannot set a %v from the command line", f.v.Type())
	}
	return nil
}

// numError drops strconv's function name: the flag package already says
// which flag and value.
func numError(err error) error {
	if e, ok := err.(*strconv.NumError); ok {
		return e.Err
	}
	return err
}

// IsBoolFlag lets a bool field be given as -name (true) or -name=false.
func (f *fieldValue) IsBoolFlag() bool { return f.v.Kind() == reflect.Bool }

// Type names the field's type for the help.
func (f *fieldValue) Type() string {
	switch f.v.Kind() {
	case reflect.Int:
		return "int"
	case reflect.Uint64:
		return "uint"
	case reflect.Float64:
		return "float"
	}
	return f.v.Kind().String()
}

// Undescribed returns, sorted, the JSON keys of settings (a struct of the
// kind given to Settings) other than those in skip that help, the text -h
// printed, does not describe with a flag line showing the type: the
// commands' tests check with it that -h covers every setting.
func (f *FlagSet) Undescribed(settings any, help string, skip ...string) []string {
	b, err := json.Marshal(settings)
	if err != nil {
		panic(fmt.Sprintf("cli: settings %T: %v", settings, err))
	}
	var keys map[string]any
	if err := json.Unmarshal(b, &keys); err != nil {
		panic(fmt.Sprintf("cli: settings %T: %v", settings, err))
	}
	var missing []string
	for k := range keys {
		if contains(skip, k) {
			continue
		}
		fl := f.Lookup(k)
		if fl == nil || fl.Usage == "" || !strings.Contains(help, "\n  -"+k+" "+typeName(fl)+" ") {
			missing = append(missing, k)
		}
	}
	slices.Sort(missing)
	return missing
}
