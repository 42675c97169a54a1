//! Data tiers and risk tiers: the two classifications that drive the workflow.
//!
//! The **data tier** is what the asset's creator declares about the data it touches
//! (1 public … 4 regulated). The **risk tier** is derived from the systems the asset touches
//! and how: writing to a production system (CRM, ERP, finance, customer data) is critical,
//! reading systems or processing internal data is standard, touching nothing is low. A
//! reviewer may override the derived risk tier, with a reason, when the declaration misses
//! something (for example a "read-only" report that e-mails customer data out).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Classification of the data an asset processes. Serialised as its number (1–4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DataTier {
    /// 1: published or publishable data.
    Public = 1,
    /// 2: ordinary internal data (internal docs, aggregated metrics).
    Internal = 2,
    /// 3: confidential data (customer lists, contracts, pricing, HR records without
    /// special categories).
    Confidential = 3,
    /// 4: regulated data (payment cards, health, special-category personal data, data under
    /// legal hold or export control).
    Regulated = 4,
}

impl DataTier {
    pub const ALL: [DataTier; 4] = [
        DataTier::Public,
        DataTier::Internal,
        DataTier::Confidential,
        DataTier::Regulated,
    ];

    pub fn number(self) -> u8 {
        self as u8
    }

    pub fn from_number(n: u8) -> Option<Self> {
        match n {
            1 => Some(DataTier::Public),
            2 => Some(DataTier::Internal),
            3 => Some(DataTier::Confidential),
            4 => Some(DataTier::Regulated),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            DataTier::Public => "public",
            DataTier::Internal => "internal",
            DataTier::Confidential => "confidential",
            DataTier::Regulated => "regulated",
        }
    }
}

impl fmt::Display for DataTier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.number(), self.name())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown data tier `{0}`: expected 1 (public), 2 (internal), 3 (confidential) or 4 (regulated)"
)]
pub struct UnknownDataTier(pub String);

impl FromStr for DataTier {
    type Err = UnknownDataTier;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        if let Ok(n) = t.parse::<u8>() {
            return DataTier::from_number(n).ok_or_else(|| UnknownDataTier(s.to_string()));
        }
        DataTier::ALL
            .into_iter()
            .find(|tier| tier.name() == t)
            .ok_or_else(|| UnknownDataTier(s.to_string()))
    }
}

impl Serialize for DataTier {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.number())
    }
}

impl<'de> Deserialize<'de> for DataTier {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u8),
            Text(String),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Number(n) => DataTier::from_number(n)
                .ok_or_else(|| serde::de::Error::custom(UnknownDataTier(n.to_string()))),
            Raw::Text(t) => t.parse().map_err(serde::de::Error::custom),
        }
    }
}

/// In the OpenAPI document a data tier is the integer it serialises as.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for DataTier {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Integer)
            .minimum(Some(1))
            .maximum(Some(4))
            .description(Some(
                "Data tier: 1 public, 2 internal, 3 confidential, 4 regulated (names accepted on input)",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for DataTier {}

/// How much damage the asset can do if it misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RiskTier {
    /// Touches no external system.
    Low,
    /// Reads systems, or processes internal or more sensitive data.
    Standard,
    /// Writes to production systems (CRM, ERP, finance, customer data).
    Critical,
}

impl RiskTier {
    pub fn as_str(self) -> &'static str {
        match self {
            RiskTier::Low => "low",
            RiskTier::Standard => "standard",
            RiskTier::Critical => "critical",
        }
    }
}

impl fmt::Display for RiskTier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown risk tier `{0}`: expected critical, standard or low")]
pub struct UnknownRiskTier(pub String);

impl FromStr for RiskTier {
    type Err = UnknownRiskTier;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "low" => Ok(RiskTier::Low),
            "standard" => Ok(RiskTier::Standard),
            "critical" => Ok(RiskTier::Critical),
            _ => Err(UnknownRiskTier(s.to_string())),
        }
    }
}

/// How an asset uses a system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Access {
    None,
    Reads,
    Writes,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown access `{0}`: expected reads, writes or none")]
pub struct UnknownAccess(pub String);

impl FromStr for Access {
    type Err = UnknownAccess;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" => Ok(Access::None),
            "reads" | "read" | "r" => Ok(Access::Reads),
            "writes" | "write" | "w" | "rw" | "read-write" => Ok(Access::Writes),
            _ => Err(UnknownAccess(s.to_string())),
        }
    }
}

/// One system an asset touches, e.g. `Salesforce` with `writes`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SystemAccess {
    pub system: String,
    pub access: Access,
}

impl FromStr for SystemAccess {
    type Err = UnknownAccess;

    /// Parses `Salesforce:writes` (a bare name means `reads`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.rsplit_once(':') {
            Some((system, access)) => Ok(SystemAccess {
                system: system.trim().to_string(),
                access: access.parse()?,
            }),
            None => Ok(SystemAccess {
                system: s.trim().to_string(),
                access: Access::Reads,
            }),
        }
    }
}

/// The risk tier implied by what an asset touches.
///
/// Any write to a system makes the asset critical: the systems people declare are, in practice,
/// the company's production systems (a script writing to a scratch file declares nothing).
/// Reading any system, or processing data above tier 1, makes it standard.
pub fn derive_risk_tier(systems: &[SystemAccess], data_tier: DataTier) -> RiskTier {
    if systems.iter().any(|s| s.access == Access::Writes) {
        RiskTier::Critical
    } else if systems.iter().any(|s| s.access == Access::Reads) || data_tier > DataTier::Public {
        RiskTier::Standard
    } else {
        RiskTier::Low
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sys(s: &str) -> SystemAccess {
        s.parse().unwrap()
    }

    #[test]
    fn writing_to_a_system_is_critical() {
        assert_eq!(
            derive_risk_tier(
                &[sys("HubSpot:reads"), sys("Salesforce:writes")],
                DataTier::Public
            ),
            RiskTier::Critical
        );
    }

    #[test]
    fn reading_a_system_or_internal_data_is_standard() {
        assert_eq!(
            derive_risk_tier(&[sys("ERP:reads")], DataTier::Public),
            RiskTier::Standard
        );
        assert_eq!(
            derive_risk_tier(&[], DataTier::Internal),
            RiskTier::Standard
        );
    }

    #[test]
    fn touching_nothing_with_public_data_is_low() {
        assert_eq!(
            derive_risk_tier(&[sys("Wiki:none")], DataTier::Public),
            RiskTier::Low
        );
    }

    #[test]
    fn data_tiers_serialise_as_numbers_and_parse_from_numbers_or_names() {
        assert_eq!(serde_json::to_string(&DataTier::Confidential).unwrap(), "3");
        assert_eq!(
            serde_json::from_str::<DataTier>("4").unwrap(),
            DataTier::Regulated
        );
        assert_eq!(
            serde_json::from_str::<DataTier>("\"internal\"").unwrap(),
            DataTier::Internal
        );
        let err = serde_json::from_str::<DataTier>("5")
            .unwrap_err()
            .to_string();
        assert!(err.contains("expected 1 (public)"), "{err}");
    }

    #[test]
    fn system_access_parses_name_and_access() {
        assert_eq!(
            sys("Google Sheets:writes"),
            SystemAccess {
                system: "Google Sheets".into(),
                access: Access::Writes
            }
        );
        assert_eq!(sys("CRM").access, Access::Reads);
        assert!("CRM:delete".parse::<SystemAccess>().is_err());
    }
}
