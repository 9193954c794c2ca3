package cli

import (
	"flag"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// StructFlags declares one string flag per field of the struct def points
// to, named by the field's JSON tag (skipping the names in skip), and
// returns a function that applies the flags the user set to a struct of the
// same type. Commands use it so that every configuration value can be
// overridden on the command line (-gf_dim 64).
func StructFlags(fs *flag.FlagSet, def any, skip ...string) func(target any) error {
	v := reflect.ValueOf(def).Elem()
	t := v.Type()
	set := map[string]int{}
	vals := map[string]*string{}
	for i := 0; i < t.NumField(); i++ {
		name := strings.Split(t.Field(i).Tag.Get("json"), ",")[0]
		if name == "" || name == "-" || contains(skip, name) {
			continue
		}
		set[name] = i
		vals[name] = fs.String(name, "", fmt.Sprintf("override %s (default %v)", name, v.Field(i).Interface()))
	}
	return func(target any) error {
		tv := reflect.ValueOf(target).Elem()
		var err error
		fs.Visit(func(f *flag.Flag) {
			i, ok := set[f.Name]
			if !ok || err != nil {
				return
			}
			s, fv := *vals[f.Name], tv.Field(i)
			switch fv.Kind() {
			case reflect.String:
				fv.SetString(s)
			case reflect.Int:
				n, e := strconv.Atoi(s)
				err = flagErr(f.Name, s, e)
				fv.SetInt(int64(n))
			case reflect.Uint64:
				n, e := strconv.ParseUint(s, 10, 64)
				err = flagErr(f.Name, s, e)
				fv.SetUint(n)
			case reflect.Float64:
				x, e := strconv.ParseFloat(s, 64)
				err = flagErr(f.Name, s, e)
				fv.SetFloat(x)
			case reflect.Bool:
				b, e := strconv.ParseBool(s)
				err = flagErr(f.Name, s, e)
				fv.SetBool(b)
			}
		})
		return err
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

func flagErr(name, val string, err error) error {
	if err != nil {
		return fmt.Errorf("-%s %q: %v", name, val, err)
	}
	return nil
}
