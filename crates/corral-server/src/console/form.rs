//! Reading a submitted HTML form, and carrying its problems back to the page.
//!
//! Forms are read as plain name/value pairs rather than deserialised into a struct: a form
//! with a mistake must come back with everything the person typed and a message next to
//! each field, and a strict deserialiser would have refused the whole body at the first
//! wrong value instead.

use std::collections::BTreeMap;

use crate::error::ApiError;

/// The fields of a submitted `application/x-www-form-urlencoded` body, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormFields(Vec<(String, String)>);

impl FormFields {
    pub fn parse(body: &[u8]) -> Self {
        Self(
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value of `name` as typed, or `""`.
    pub fn raw(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The first value of `name`, trimmed; `None` when missing or blank.
    pub fn text(&self, name: &str) -> Option<String> {
        let v = self.raw(name).trim();
        (!v.is_empty()).then(|| v.to_string())
    }

    /// The first value of `name`, trimmed, or `""`.
    pub fn value(&self, name: &str) -> String {
        self.raw(name).trim().to_string()
    }

    /// The `page` a list was asked for: 1 when it is missing, not a number or below 1.
    pub fn page(&self) -> u32 {
        self.value("page")
            .parse()
            .ok()
            .filter(|p| *p >= 1)
            .unwrap_or(1)
    }
}

/// Messages by field name, for showing next to the fields; `form` holds what belongs to no
/// single field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.entry(field.into()).or_insert_with(|| message.into());
    }

    /// The message for `field`, for templates.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Each field error of `err` under its field name (`rename` maps API field names to the
    /// form's), and its message under `form` when it names no field.
    pub fn from_api(err: &ApiError, rename: impl Fn(&str) -> String) -> Self {
        let mut errors = Self::default();
        for field in &err.detail.fields {
            errors.add(rename(&field.field), field.rule.clone());
        }
        if errors.is_empty() {
            let mut message = err.detail.message.clone();
            if let Some(help) = &err.detail.help {
                message = format!("{message} ({help})");
            }
            errors.add("form", message);
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_what_was_typed_and_trim_on_request() {
        let form = FormFields::parse(b"name=+lead-scoring+&purpose=&tier=3&tier=4&q=a%26b");
        assert_eq!(form.raw("name"), " lead-scoring ");
        assert_eq!(form.text("name").as_deref(), Some("lead-scoring"));
        assert_eq!(form.text("purpose"), None);
        assert_eq!(form.value("tier"), "3");
        assert_eq!(form.value("q"), "a&b");
        assert_eq!(form.raw("missing"), "");
    }

    #[test]
    fn api_field_errors_land_on_their_fields_and_others_on_the_form() {
        let err = ApiError::field("ai_tool", "is required");
        let errors = FieldErrors::from_api(&err, |f| format!("form_{f}"));
        assert_eq!(errors.get("form_ai_tool"), Some("is required"));
        let err = ApiError::conflict("taken").with_help("pick another");
        let errors = FieldErrors::from_api(&err, str::to_string);
        assert_eq!(errors.get("form"), Some("taken (pick another)"));
    }
}
