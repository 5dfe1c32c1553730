package ehr

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	validation "github.com/go-ozzo/ozzo-validation/v4"
)

// coversField reports whether errs has an error on field or on a path that
// contains it.
func coversField(errs FieldErrors, field string) bool {
	for _, fe := range errs {
		if fe.Field == field || strings.HasPrefix(field, fe.Field+".") || strings.HasPrefix(field, fe.Field+"[") {
			return true
		}
	}

	return false
}

// ruleError builds the ozzo error for code. args are the message arguments
// that follow the field path, kept in order under the "args" parameter.
func ruleError(code string, args ...any) validation.Error {
	err := validation.NewError(code, code)
	if len(args) > 0 {
		err = err.SetParams(map[string]any{"args": args})
	}

	return err
}

// appendRuleErrors flattens an ozzo error for the value of type valueType at
// path into FieldErrors, walking nested validation.Errors in the order of
// struct fields, list indexes and sorted map keys.
func appendRuleErrors(out FieldErrors, path string, valueType reflect.Type, err error) FieldErrors {
	switch e := err.(type) {
	case validation.Errors:
		for _, key := range ruleErrorKeys(e, valueType) {
			childPath, childType := ruleErrorChild(path, valueType, key)
			out = appendRuleErrors(out, childPath, childType, e[key])
		}
		return out
	case validation.Error:
		args, _ := e.Params()["args"].([]any)
		return append(out, FieldError{Field: path, Code: e.Code(), Args: args})
	default:
		// Every rule returns validation.Error values, so anything else is a
		// defect in the rules, not in the input.
		panic(fmt.Sprintf("ehr: patient validation rule failed at %q: %v", path, err))
	}
}

// ruleErrorKeys sorts the keys of a nested error by struct field index, list
// index or map key, according to the type they belong to.
func ruleErrorKeys(errs validation.Errors, valueType reflect.Type) []string {
	valueType = indirectType(valueType)
	keys := make([]string, 0, len(errs))
	for key := range errs {
		keys = append(keys, key)
	}

	switch valueType.Kind() {
	case reflect.Struct:
		sort.Slice(keys, func(i, j int) bool {
			return fieldIndexByJSONName(valueType, keys[i]) < fieldIndexByJSONName(valueType, keys[j])
		})
	case reflect.Slice:
		sort.Slice(keys, func(i, j int) bool { return ruleErrorListIndex(keys[i]) < ruleErrorListIndex(keys[j]) })
	default:
		sort.Strings(keys)
	}

	return keys
}

// ruleErrorChild returns the path and type of the member key of a value of type
// valueType at path: "contact.email", "allergies[2]" or "answers.q1".
func ruleErrorChild(path string, valueType reflect.Type, key string) (string, reflect.Type) {
	valueType = indirectType(valueType)
	switch valueType.Kind() {
	case reflect.Struct:
		index := fieldIndexByJSONName(valueType, key)
		if index < 0 {
			return joinKey(path, key), valueType
		}
		return joinKey(path, key), valueType.Field(index).Type
	case reflect.Slice:
		return path + "[" + key + "]", valueType.Elem()
	default:
		return joinKey(path, key), valueType.Elem()
	}
}

func indirectType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}

	return t
}

// fieldIndexByJSONName returns the index of the struct field whose JSON name is
// name, or -1. ozzo keys struct errors by the json tag.
func fieldIndexByJSONName(structType reflect.Type, name string) int {
	for i := range structType.NumField() {
		tagName, _, _ := strings.Cut(structType.Field(i).Tag.Get("json"), ",")
		if tagName == name {
			return i
		}
	}

	return -1
}

func ruleErrorListIndex(key string) int {
	index, err := strconv.Atoi(key)
	if err != nil {
		return -1
	}

	return index
}
