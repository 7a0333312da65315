package web

import (
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/thutuc/thutuc"
)

// checkParams is middleware refusing a request whose path or query parameters are not text
// Postgres can store (invalid UTF-8, NUL) with 400 naming the parameter, before any handler
// reads them.
func (s *Server) checkParams() gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := thutuc.CheckText("Đường dẫn", c.Request.URL.Path); err != nil {
			s.fail(c, err)
			c.Abort()
			return
		}
		for name, values := range c.Request.URL.Query() {
			for _, v := range append([]string{name}, values...) {
				if err := thutuc.CheckText("Tham số "+name, v); err != nil {
					s.fail(c, err)
					c.Abort()
					return
				}
			}
		}
		c.Next()
	}
}

// checkStrings returns an EINVALID error naming the first string field of a decoded body
// (by its JSON name) that is not storable text.
func checkStrings(v any) error {
	return walkStrings(reflect.ValueOf(v), "")
}

func walkStrings(v reflect.Value, path string) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return walkStrings(v.Elem(), path)
	case reflect.String:
		return thutuc.CheckText("Trường "+strings.TrimPrefix(path, "."), v.String())
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name := strings.Split(f.Tag.Get("json"), ",")[0]
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if f.Anonymous && f.Tag.Get("json") == "" {
				name = ""
			}
			if err := walkStrings(v.Field(i), path+"."+name); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if err := walkStrings(v.Index(i), path); err != nil {
				return err
			}
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			if err := walkStrings(k, path); err != nil {
				return err
			}
			if err := walkStrings(v.MapIndex(k), path+"."+k.String()); err != nil {
				return err
			}
		}
	}
	return nil
}
