//! The attribute schema of a pool: Cognito's standard attributes with their constraints,
//! and custom attributes (`custom:<Name>`, legacy `dev:custom:<Name>`).

use std::borrow::Cow;
use std::collections::BTreeSet;

use monban_wire::idp::{
    AttributeDataType, NumberAttributeConstraintsType, SchemaAttributeType,
    StringAttributeConstraintsType,
};

use crate::entities::UserPool;
use crate::error::Error;

/// At most this many custom attributes per pool (Cognito's quota).
pub const MAX_CUSTOM_ATTRIBUTES: usize = 50;

/// Longest value of a string attribute.
const MAX_STRING_LENGTH: u64 = 2048;

/// A standard attribute as a new pool has it: name, type, mutable, required, and the
/// string length bounds (`None` for Boolean and Number attributes).
pub struct StandardAttribute {
    pub name: &'static str,
    pub data_type: AttributeDataType,
    pub mutable: bool,
    pub required: bool,
    pub length: Option<(u32, u32)>,
}

const fn string(name: &'static str) -> StandardAttribute {
    StandardAttribute {
        name,
        data_type: AttributeDataType::String,
        mutable: true,
        required: false,
        length: Some((0, 2048)),
    }
}

const fn boolean(name: &'static str) -> StandardAttribute {
    StandardAttribute {
        name,
        data_type: AttributeDataType::Boolean,
        mutable: true,
        required: false,
        length: None,
    }
}

/// In the order DescribeUserPool lists them.
pub const STANDARD_ATTRIBUTES: &[StandardAttribute] = &[
    StandardAttribute {
        name: "sub",
        data_type: AttributeDataType::String,
        mutable: false,
        required: true,
        length: Some((1, 2048)),
    },
    string("name"),
    string("given_name"),
    string("family_name"),
    string("middle_name"),
    string("nickname"),
    string("preferred_username"),
    string("profile"),
    string("picture"),
    string("website"),
    string("email"),
    boolean("email_verified"),
    string("gender"),
    StandardAttribute {
        name: "birthdate",
        data_type: AttributeDataType::String,
        mutable: true,
        required: false,
        length: Some((10, 10)),
    },
    string("zoneinfo"),
    string("locale"),
    string("phone_number"),
    boolean("phone_number_verified"),
    string("address"),
    // The only Number: seconds since the epoch, at least 0.
    StandardAttribute {
        name: "updated_at",
        data_type: AttributeDataType::Number,
        mutable: true,
        required: false,
        length: None,
    },
];

impl StandardAttribute {
    fn to_wire(&self) -> SchemaAttributeType {
        SchemaAttributeType {
            name: Some(self.name.to_owned()),
            attribute_data_type: Some(self.data_type),
            developer_only_attribute: Some(false),
            mutable: Some(self.mutable),
            required: Some(self.required),
            string_attribute_constraints: self.length.map(|(min, max)| {
                StringAttributeConstraintsType {
                    min_length: Some(min.to_string()),
                    max_length: Some(max.to_string()),
                }
            }),
            number_attribute_constraints: (self.data_type == AttributeDataType::Number).then(
                || NumberAttributeConstraintsType {
                    min_value: Some("0".to_owned()),
                    max_value: None,
                },
            ),
        }
    }
}

fn standard(name: &str) -> Option<&'static StandardAttribute> {
    STANDARD_ATTRIBUTES.iter().find(|a| a.name == name)
}

/// The schema of a new pool with no `Schema` in its request.
pub fn standard_schema() -> Vec<SchemaAttributeType> {
    STANDARD_ATTRIBUTES
        .iter()
        .map(StandardAttribute::to_wire)
        .collect()
}

/// The pool's attributes (standard then custom) as DescribeUserPool lists them, with
/// `Mutable`, `Required` and constraints filled.
pub fn schema(pool: &UserPool) -> Cow<'_, [SchemaAttributeType]> {
    match &pool.config.schema_attributes {
        Some(attributes) if !attributes.is_empty() => Cow::Borrowed(attributes),
        _ => Cow::Owned(standard_schema()),
    }
}

/// One attribute of the pool's schema by its full name (`email`, `custom:tier`).
pub fn schema_attribute(pool: &UserPool, name: &str) -> Option<SchemaAttributeType> {
    schema(pool)
        .iter()
        .find(|a| a.name.as_deref() == Some(name))
        .cloned()
}

/// The schema of a new pool: the standard attributes, changed where `requested` names
/// one, then the requested custom attributes.
pub fn schema_from_create(
    requested: Option<&[SchemaAttributeType]>,
) -> Result<Vec<SchemaAttributeType>, Error> {
    let mut schema = standard_schema();
    let mut seen = BTreeSet::new();
    let mut custom = Vec::new();
    for attribute in requested.unwrap_or_default() {
        let name = attribute
            .name
            .as_deref()
            .ok_or_else(|| Error::invalid_parameter("A schema attribute has no Name."))?;
        if !seen.insert(name.to_owned()) {
            return Err(Error::invalid_parameter(format!(
                "Duplicate attribute name in the schema: {name}"
            )));
        }
        match standard(name) {
            Some(base) => {
                let changed = standard_override(base, attribute)?;
                if let Some(slot) = schema.iter_mut().find(|a| a.name.as_deref() == Some(name)) {
                    *slot = changed;
                }
            }
            None => custom.push(custom_attribute(attribute)?),
        }
    }
    add_checked(&mut schema, custom)?;
    Ok(schema)
}

/// `schema` with `new` custom attributes appended (AddCustomAttributes).
pub fn add_custom_attributes(
    schema: &[SchemaAttributeType],
    new: &[SchemaAttributeType],
) -> Result<Vec<SchemaAttributeType>, Error> {
    let mut out = schema.to_vec();
    let mut custom = Vec::with_capacity(new.len());
    for attribute in new {
        if let Some(name) = attribute.name.as_deref() {
            if standard(name).is_some() {
                return Err(Error::invalid_parameter(format!(
                    "{name} is a standard attribute; custom attributes need another name."
                )));
            }
        }
        custom.push(custom_attribute(attribute)?);
    }
    add_checked(&mut out, custom)?;
    Ok(out)
}

/// Appends custom attributes, refusing duplicates and more than the quota.
fn add_checked(
    schema: &mut Vec<SchemaAttributeType>,
    custom: Vec<SchemaAttributeType>,
) -> Result<(), Error> {
    for attribute in custom {
        let name = attribute.name.clone().unwrap_or_default();
        // `custom:x` and `dev:custom:x` are one name as far as users are concerned.
        let bare = bare_custom_name(&name);
        if schema
            .iter()
            .filter_map(|a| a.name.as_deref())
            .any(|existing| bare_custom_name(existing) == bare && existing.contains(':'))
        {
            return Err(Error::invalid_parameter(format!(
                "Existing attribute already has name {name}."
            )));
        }
        schema.push(attribute);
    }
    let count = schema
        .iter()
        .filter(|a| a.name.as_deref().is_some_and(|n| n.contains(':')))
        .count();
    if count > MAX_CUSTOM_ATTRIBUTES {
        return Err(Error::invalid_parameter(format!(
            "A user pool can have at most {MAX_CUSTOM_ATTRIBUTES} custom attributes."
        )));
    }
    Ok(())
}

fn bare_custom_name(name: &str) -> &str {
    let name = name.strip_prefix("dev:").unwrap_or(name);
    name.strip_prefix("custom:").unwrap_or(name)
}

/// A standard attribute as a `Schema` entry changes it: `Mutable`, `Required` and, for
/// strings, the length bounds. Its type cannot change and it cannot be developer-only.
fn standard_override(
    base: &StandardAttribute,
    requested: &SchemaAttributeType,
) -> Result<SchemaAttributeType, Error> {
    let name = base.name;
    let fixed = || {
        Error::invalid_parameter(format!(
            "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute {name}"
        ))
    };
    if requested
        .attribute_data_type
        .is_some_and(|t| t != base.data_type)
        || requested.developer_only_attribute == Some(true)
    {
        return Err(fixed());
    }
    let mut out = base.to_wire();
    if name == "sub" {
        if requested.mutable == Some(true) || requested.required == Some(false) {
            return Err(Error::invalid_parameter(
                "The sub attribute is always required and immutable.",
            ));
        }
        return Ok(out);
    }
    if let Some(mutable) = requested.mutable {
        out.mutable = Some(mutable);
    }
    if let Some(required) = requested.required {
        out.required = Some(required);
    }
    match base.data_type {
        AttributeDataType::String => {
            if let Some(c) = &requested.string_attribute_constraints {
                out.string_attribute_constraints = Some(string_constraints(name, c)?);
            }
        }
        AttributeDataType::Number => {
            if let Some(c) = &requested.number_attribute_constraints {
                out.number_attribute_constraints = Some(number_constraints(name, c)?);
            }
        }
        AttributeDataType::Boolean | AttributeDataType::DateTime => {}
    }
    Ok(out)
}

/// A custom attribute from its definition: `custom:<Name>` (or `dev:custom:<Name>` when
/// developer-only), mutable unless it says otherwise, never required.
fn custom_attribute(requested: &SchemaAttributeType) -> Result<SchemaAttributeType, Error> {
    let given = requested
        .name
        .as_deref()
        .ok_or_else(|| Error::invalid_parameter("A custom attribute has no Name."))?;
    // The request names the attribute without its prefix; one already prefixed is taken
    // as meant rather than doubled.
    let bare = bare_custom_name(given);
    if bare.is_empty() || bare.chars().count() > 20 || bare.chars().any(char::is_whitespace) {
        return Err(Error::invalid_parameter(format!(
            "Invalid custom attribute name {given}: 1 to 20 characters without spaces."
        )));
    }
    let data_type = requested.attribute_data_type.ok_or_else(|| {
        Error::invalid_parameter(
            "Invalid AttributeDataType input, consider using the provided AttributeDataType enum.",
        )
    })?;
    if requested.required == Some(true) {
        return Err(Error::invalid_parameter(
            "Required custom attributes are not supported currently.",
        ));
    }
    let developer_only = requested.developer_only_attribute.unwrap_or(false);
    let name = if developer_only {
        format!("dev:custom:{bare}")
    } else {
        format!("custom:{bare}")
    };
    let mut out = SchemaAttributeType {
        name: Some(name.clone()),
        attribute_data_type: Some(data_type),
        developer_only_attribute: Some(developer_only),
        mutable: Some(requested.mutable.unwrap_or(true)),
        required: Some(false),
        string_attribute_constraints: None,
        number_attribute_constraints: None,
    };
    // Constraints of the other type are ignored, not stored: they could never apply.
    match data_type {
        AttributeDataType::String => {
            out.string_attribute_constraints =
                Some(match &requested.string_attribute_constraints {
                    Some(c) => string_constraints(&name, c)?,
                    None => StringAttributeConstraintsType::default(),
                });
        }
        AttributeDataType::Number => {
            out.number_attribute_constraints =
                Some(match &requested.number_attribute_constraints {
                    Some(c) => number_constraints(&name, c)?,
                    None => NumberAttributeConstraintsType::default(),
                });
        }
        AttributeDataType::Boolean | AttributeDataType::DateTime => {}
    }
    Ok(out)
}

fn string_constraints(
    name: &str,
    c: &StringAttributeConstraintsType,
) -> Result<StringAttributeConstraintsType, Error> {
    let bound = |value: Option<&str>| -> Result<Option<u64>, Error> {
        value
            .map(|v| {
                v.trim().parse::<u64>().map_err(|_| {
                    Error::invalid_parameter(format!(
                        "Invalid StringAttributeConstraints for schema attribute {name}"
                    ))
                })
            })
            .transpose()
    };
    let min = bound(c.min_length.as_deref())?;
    let max = bound(c.max_length.as_deref())?;
    if min.is_some_and(|m| m > MAX_STRING_LENGTH) || max.is_some_and(|m| m > MAX_STRING_LENGTH) {
        return Err(Error::invalid_parameter(format!(
            "user.{name}: String attributes cannot have a length of more than {MAX_STRING_LENGTH}"
        )));
    }
    if let (Some(min), Some(max)) = (min, max) {
        if min > max {
            return Err(Error::invalid_parameter(format!(
                "user.{name}: Max length cannot be less than min length."
            )));
        }
    }
    Ok(StringAttributeConstraintsType {
        min_length: min.map(|v| v.to_string()),
        max_length: max.map(|v| v.to_string()),
    })
}

fn number_constraints(
    name: &str,
    c: &NumberAttributeConstraintsType,
) -> Result<NumberAttributeConstraintsType, Error> {
    // Cognito allows bounds far beyond i64; i128 covers every practical one.
    let bound = |value: Option<&str>| -> Result<Option<i128>, Error> {
        value
            .map(|v| {
                v.trim().parse::<i128>().map_err(|_| {
                    Error::invalid_parameter(format!(
                        "Invalid NumberAttributeConstraints for schema attribute {name}"
                    ))
                })
            })
            .transpose()
    };
    let min = bound(c.min_value.as_deref())?;
    let max = bound(c.max_value.as_deref())?;
    if let (Some(min), Some(max)) = (min, max) {
        if min > max {
            return Err(Error::invalid_parameter(format!(
                "user.{name}: Max value cannot be less than min value."
            )));
        }
    }
    Ok(NumberAttributeConstraintsType {
        min_value: min.map(|v| v.to_string()),
        max_value: max.map(|v| v.to_string()),
    })
}
