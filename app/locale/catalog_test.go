package locale

import (
	"slices"
	"testing"

	"golang.org/x/text/language"

	"ehrbridge/ehr"
	"ehrbridge/locales"
)

func loadRealCatalog(t *testing.T) *Catalog {
	t.Helper()

	catalog, err := Load(locales.Files)
	if err != nil {
		t.Fatalf("Load(locales.Files) error: %v", err)
	}

	return catalog
}

func TestCatalogSupported(t *testing.T) {
	t.Parallel()

	got := loadRealCatalog(t).Supported()
	want := []language.Tag{language.English, language.Spanish}
	if !slices.Equal(got, want) {
		t.Errorf("Supported() = %v, want %v", got, want)
	}
}

func TestCatalogText(t *testing.T) {
	t.Parallel()

	catalog := loadRealCatalog(t)
	cases := []struct {
		name string
		tag  language.Tag
		key  string
		args []any
		want string
	}{
		{"english required", language.English, "field.required", []any{"firstName"}, "firstName is required"},
		{"spanish required", language.Spanish, "field.required", []any{"firstName"}, "firstName es obligatorio"},
		{"english range", language.English, "field.out_of_range", []any{"age", 0, 150}, "age must be between 0 and 150"},
		{"spanish range", language.Spanish, "field.out_of_range", []any{"age", 0, 150}, "age debe estar entre 0 y 150"},
		{"english grouping", language.English, "field.too_long", []any{"medicalHistory", 10000},
			"medicalHistory must be at most 10,000 characters long"},
		{"spanish grouping", language.Spanish, "field.too_long", []any{"medicalHistory", 10000},
			"medicalHistory debe tener como máximo 10.000 caracteres"},
		{"english ehr name", language.English, "error.unknown_ehr", []any{"athena-test"}, "No EHR named athena-test is configured."},
		{"spanish ehr name", language.Spanish, "error.unknown_ehr", []any{"athena-test"},
			"No hay ningún EHR configurado con el nombre athena-test."},
		{"regional spanish", language.MustParse("es-MX"), "field.required", []any{"lastName"}, "lastName es obligatorio"},
		{"unsupported language falls back", language.French, "field.required", []any{"lastName"}, "lastName is required"},
		{"unknown key", language.Spanish, "no.such.key", nil, "no.such.key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := catalog.Text(tc.tag, tc.key, tc.args...); got != tc.want {
				t.Errorf("Text(%v, %q) = %q, want %q", tc.tag, tc.key, got, tc.want)
			}
		})
	}
}

func TestCatalogFieldMessage(t *testing.T) {
	t.Parallel()

	catalog := loadRealCatalog(t)
	cases := []struct {
		name  string
		tag   language.Tag
		field ehr.FieldError
		want  string
	}{
		{"english nested path", language.English, ehr.FieldError{Field: "contact.email", Code: ehr.FieldCodeInvalidEmail},
			"contact.email must be a valid email address"},
		{"spanish nested path", language.Spanish, ehr.FieldError{Field: "contact.email", Code: ehr.FieldCodeInvalidEmail},
			"contact.email debe ser una dirección de correo electrónico válida"},
		{"english with args", language.English, ehr.FieldError{Field: "age", Code: ehr.FieldCodeOutOfRange, Args: []any{0, 150}},
			"age must be between 0 and 150"},
		{"spanish age mismatch", language.Spanish, ehr.FieldError{Field: "age", Code: ehr.FieldCodeAgeMismatch, Args: []any{52}},
			"age no coincide con la fecha de nacimiento, que corresponde a una edad de 52 años"},
		{"spanish list item", language.Spanish, ehr.FieldError{Field: "allergies[2]", Code: ehr.FieldCodeEmptyItem},
			"allergies[2] no puede estar vacío"},
		{"english whole body", language.English, ehr.FieldError{Code: ehr.FieldCodeMustBeObject},
			"The request body must be a JSON object"},
		{"spanish whole body", language.Spanish, ehr.FieldError{Code: ehr.FieldCodeMustBeObject},
			"El cuerpo de la solicitud debe ser un objeto JSON"},
		{"code without message", language.English, ehr.FieldError{Field: "age", Code: "no_such_code", Args: []any{1}},
			"age is invalid"},
		{"spanish code without message", language.Spanish, ehr.FieldError{Field: "age", Code: "no_such_code"},
			"age no es válido"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := catalog.FieldMessage(tc.tag, tc.field); got != tc.want {
				t.Errorf("FieldMessage(%v, %+v) = %q, want %q", tc.tag, tc.field, got, tc.want)
			}
		})
	}
}

func TestCatalogHasKey(t *testing.T) {
	t.Parallel()

	catalog := loadRealCatalog(t)
	if !catalog.HasKey("field.required") {
		t.Error(`HasKey("field.required") = false, want true`)
	}
	if catalog.HasKey("field.no_such_code") {
		t.Error(`HasKey("field.no_such_code") = true, want false`)
	}
}
