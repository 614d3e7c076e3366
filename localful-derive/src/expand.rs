//! The generated code: the `Collection` impl and the typed field handles.

use crate::parse::{Exposure, Spec};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub(crate) fn expand(spec: &Spec) -> TokenStream {
    let ident = &spec.ident;
    let (impl_generics, ty_generics, where_clause) = spec.generics.split_for_impl();
    let name = &spec.name;
    let version = spec.version.as_ref().map(|v| quote! { const SCHEMA_VERSION: u32 = #v; });
    let migrate = spec.migrate.as_ref().map(|path| {
        quote! {
            fn migrate(
                from: u32,
                data: ::localful_core::serde_json::Value,
            ) -> ::core::result::Result<::localful_core::serde_json::Value, ::localful_core::MigrationError> {
                #path(from, data)
            }
        }
    });
    let exposed = spec.fields.iter().filter_map(|f| {
        let json = &f.json_name;
        match f.exposure {
            Exposure::Hidden => None,
            Exposure::Exposed => Some(quote! { ::localful_core::ExposedField::plain(#json) }),
            Exposure::Indexed => Some(quote! { ::localful_core::ExposedField::indexed(#json) }),
        }
    });
    let vis = &spec.vis;
    let handles = spec.fields.iter().map(|f| {
        let constant = handle_name(&f.ident.to_string());
        let constant = format_ident!("{constant}");
        let (json, ty) = (&f.json_name, &f.ty);
        let doc =
            format!("The `{json}` field, typed, for queries (`Field::data(\"{json}\")` checked at compile time).");
        quote! {
            #[doc = #doc]
            #vis const #constant: ::localful_core::TypedField<Self, #ty> = ::localful_core::TypedField::new(#json);
        }
    });
    quote! {
        impl #impl_generics ::localful_core::Collection for #ident #ty_generics #where_clause {
            const NAME: &'static str = #name;
            #version
            fn exposed_fields() -> ::std::vec::Vec<::localful_core::ExposedField> {
                ::std::vec![#(#exposed),*]
            }
            #migrate
        }

        #[allow(dead_code)]
        impl #impl_generics #ident #ty_generics #where_clause {
            #(#handles)*
        }
    }
}

/// The handle's constant: the field's name in upper case, with `_FIELD` appended when that is one
/// of `Collection`'s own constants (an inherent `NAME` would shadow `Collection::NAME`).
fn handle_name(field: &str) -> String {
    let upper = field.trim_start_matches("r#").to_uppercase();
    match upper.as_str() {
        "NAME" | "SCHEMA_VERSION" => format!("{upper}_FIELD"),
        _ => upper,
    }
}

#[cfg(test)]
mod tests {
    use super::handle_name;

    #[test]
    fn handles_are_upper_case_and_never_shadow_the_collection_constants() {
        assert_eq!(handle_name("title"), "TITLE");
        assert_eq!(handle_name("r#type"), "TYPE");
        assert_eq!(handle_name("created_at"), "CREATED_AT");
        assert_eq!(handle_name("name"), "NAME_FIELD");
        assert_eq!(handle_name("schema_version"), "SCHEMA_VERSION_FIELD");
    }
}
