//! Reading the derive's input: the collection attributes and each field's exposure.

use syn::{Data, DeriveInput, Fields, Ident, LitInt, LitStr, Path, Type};

/// How a field is kept on the local item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exposure {
    /// Encrypted only.
    Hidden,
    /// Copied unencrypted, not indexed.
    Exposed,
    /// Copied unencrypted and indexed.
    Indexed,
}

/// One field of the struct.
pub(crate) struct FieldSpec {
    pub(crate) ident: Ident,
    pub(crate) ty: Type,
    /// The name serde writes.
    pub(crate) json_name: String,
    pub(crate) exposure: Exposure,
}

/// Everything the expansion needs.
pub(crate) struct Spec {
    pub(crate) ident: Ident,
    /// The struct's visibility, which its handles get.
    pub(crate) vis: syn::Visibility,
    pub(crate) generics: syn::Generics,
    pub(crate) name: String,
    pub(crate) version: Option<LitInt>,
    pub(crate) migrate: Option<Path>,
    pub(crate) fields: Vec<FieldSpec>,
}

impl Spec {
    pub(crate) fn from_input(input: &DeriveInput) -> syn::Result<Self> {
        let Data::Struct(data) = &input.data else {
            return Err(syn::Error::new_spanned(
                &input.ident,
                "#[derive(Collection)] needs a struct with named fields",
            ));
        };
        let Fields::Named(named) = &data.fields else {
            return Err(syn::Error::new_spanned(
                &input.ident,
                "#[derive(Collection)] needs a struct with named fields",
            ));
        };
        let (mut name, mut version, mut migrate) = (None::<LitStr>, None, None);
        for attr in &input.attrs {
            if attr.path().is_ident("collection") {
                attr.parse_nested_meta(|meta| {
                    if meta.path.is_ident("name") {
                        name = Some(meta.value()?.parse()?);
                    } else if meta.path.is_ident("version") {
                        version = Some(meta.value()?.parse()?);
                    } else if meta.path.is_ident("migrate") {
                        migrate = Some(meta.value()?.parse()?);
                    } else {
                        return Err(meta.error("expected `name = \"…\"`, `version = N` or `migrate = path`"));
                    }
                    Ok(())
                })?;
            } else if attr.path().is_ident("serde") {
                attr.parse_nested_meta(|meta| {
                    if meta.path.is_ident("rename_all") {
                        return Err(meta.error(
                            "#[derive(Collection)] does not follow #[serde(rename_all)]: rename the fields one by one",
                        ));
                    }
                    skip_value(&meta)
                })?;
            }
        }
        let Some(name) = name else {
            return Err(syn::Error::new_spanned(&input.ident, "missing #[collection(name = \"…\")]"));
        };
        if name.value().is_empty() {
            return Err(syn::Error::new_spanned(name, "the collection name must not be empty"));
        }
        let fields = named.named.iter().map(field_spec).collect::<syn::Result<Vec<_>>>()?;
        Ok(Self {
            ident: input.ident.clone(),
            vis: input.vis.clone(),
            generics: input.generics.clone(),
            name: name.value(),
            version,
            migrate,
            fields,
        })
    }
}

fn field_spec(field: &syn::Field) -> syn::Result<FieldSpec> {
    let ident = field.ident.clone().ok_or_else(|| syn::Error::new_spanned(field, "a named field"))?;
    let mut json_name = ident.to_string().trim_start_matches("r#").to_owned();
    let mut exposure = Exposure::Hidden;
    for attr in &field.attrs {
        if attr.path().is_ident("field") {
            attr.parse_nested_meta(|meta| {
                let next = if meta.path.is_ident("indexed") {
                    Exposure::Indexed
                } else if meta.path.is_ident("exposed") {
                    Exposure::Exposed
                } else {
                    return Err(meta.error("expected `indexed` or `exposed`"));
                };
                if exposure != Exposure::Hidden {
                    return Err(meta.error("a field is either `indexed` or `exposed`, once"));
                }
                exposure = next;
                Ok(())
            })?;
        } else if attr.path().is_ident("serde") {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    if let Ok(value) = meta.value() {
                        let renamed: LitStr = value.parse()?;
                        json_name = renamed.value();
                    } else {
                        return Err(meta.error(
                            "#[derive(Collection)] needs one name: #[serde(rename = \"…\")], not serialize/deserialize apart",
                        ));
                    }
                    return Ok(());
                }
                skip_value(&meta)
            })?;
        }
    }
    Ok(FieldSpec { ident, ty: field.ty.clone(), json_name, exposure })
}

/// Consumes a serde attribute this derive does not read (`default`, `skip_serializing_if = "…"`,
/// `with = "…"`…), whatever its form.
fn skip_value(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        let _: syn::Expr = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        let _: proc_macro2::TokenStream = content.parse()?;
    }
    Ok(())
}
