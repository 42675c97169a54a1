//! Which kind of licence an SPDX identifier is: permissive, weak, strong or network
//! copyleft, or source-available.
//!
//! The classification is data (`rules/categories.toml`) so that legal teams can read and
//! adjust it. An identifier is looked up without its `-only`/`-or-later`/`+` suffix, first in
//! the explicit lists, then by the longest matching family prefix (so `CC-BY-NC-SA-4.0` is
//! share-alike copyleft, while `CC-BY-NC-4.0` is source-available). A linking exception
//! (`GPL-2.0-only WITH Classpath-exception-2.0`) turns strong copyleft into weak copyleft,
//! because the licence then stops at the covered library.

use serde::Deserialize;

const BUILT_IN: &str = include_str!("../rules/categories.toml");

/// The built-in classification could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum CategoryError {
    #[error("cannot parse the licence categories: {0}")]
    Parse(#[from] toml::de::Error),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    pub title: String,
    pub description: String,
    pub licenses: Vec<String>,
    #[serde(default)]
    pub prefixes: Vec<String>,
    #[serde(default)]
    pub examples: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkingExceptions {
    ids: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryFile {
    category: Vec<Category>,
    linking_exceptions: LinkingExceptions,
}

pub const STRONG: &str = "strong-copyleft";
pub const WEAK: &str = "weak-copyleft";

/// The loaded classification.
#[derive(Debug)]
pub struct Categories {
    categories: Vec<Category>,
    linking_exceptions: Vec<String>,
}

/// An SPDX licence id without its version-range suffix: `GPL-3.0-or-later` → `GPL-3.0`.
pub fn base_id(id: &str) -> &str {
    let id = id.trim();
    id.strip_suffix("-or-later")
        .or_else(|| id.strip_suffix("-only"))
        .or_else(|| id.strip_suffix('+'))
        .unwrap_or(id)
}

impl Categories {
    pub fn built_in() -> Result<Self, CategoryError> {
        let file: CategoryFile = toml::from_str(BUILT_IN)?;
        Ok(Self {
            categories: file.category,
            linking_exceptions: file.linking_exceptions.ids,
        })
    }

    pub fn all(&self) -> &[Category] {
        &self.categories
    }

    pub fn get(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The category of licence `id` (optionally `WITH exception`), or `None` when the
    /// licence is in no category.
    pub fn classify(&self, id: &str, exception: Option<&str>) -> Option<&Category> {
        // Deprecated ids such as `GPL-2.0-with-classpath-exception` carry their exception.
        let (id, exception) = match id.split_once("-with-") {
            Some((base, _)) => (base, Some(exception.unwrap_or("linking-exception"))),
            None => (id, exception),
        };
        let base = base_id(id);
        let category = self
            .categories
            .iter()
            .find(|c| c.licenses.iter().any(|l| l.eq_ignore_ascii_case(base)))
            .or_else(|| {
                self.categories
                    .iter()
                    .flat_map(|c| c.prefixes.iter().map(move |p| (c, p)))
                    .filter(|(_, p)| {
                        base.len() >= p.len() && base[..p.len()].eq_ignore_ascii_case(p)
                    })
                    .max_by_key(|(_, p)| p.len())
                    .map(|(c, _)| c)
            })?;
        let linking = exception.is_some_and(|e| {
            e == "linking-exception"
                || self
                    .linking_exceptions
                    .iter()
                    .any(|x| x.eq_ignore_ascii_case(e))
        });
        if category.id == STRONG && linking {
            return self.get(WEAK).or(Some(category));
        }
        Some(category)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_example_lands_in_its_category() {
        let categories = Categories::built_in().unwrap();
        for category in categories.all() {
            assert!(!category.examples.is_empty(), "{}", category.id);
            for example in &category.examples {
                let found = categories.classify(example, None).map(|c| c.id.as_str());
                assert_eq!(found, Some(category.id.as_str()), "{example}");
            }
        }
    }

    #[test]
    fn no_licence_is_listed_in_two_categories() {
        let categories = Categories::built_in().unwrap();
        let mut seen = std::collections::BTreeMap::new();
        for category in categories.all() {
            for id in &category.licenses {
                if let Some(other) = seen.insert(id.to_ascii_lowercase(), &category.id) {
                    panic!("{id} is in both {other} and {}", category.id);
                }
            }
        }
    }

    #[test]
    fn the_longest_family_prefix_decides() {
        let categories = Categories::built_in().unwrap();
        let id = |l: &str| categories.classify(l, None).map(|c| c.id.clone());
        assert_eq!(id("CC-BY-NC-SA-4.0").as_deref(), Some(STRONG));
        assert_eq!(id("CC-BY-NC-4.0").as_deref(), Some("source-available"));
        assert_eq!(id("CC-BY-4.0").as_deref(), Some("permissive"));
        assert_eq!(id("Frobnicate-1.0"), None);
    }

    #[test]
    fn a_linking_exception_makes_strong_copyleft_weak() {
        let categories = Categories::built_in().unwrap();
        let with = categories.classify("GPL-2.0-only", Some("Classpath-exception-2.0"));
        assert_eq!(with.unwrap().id, WEAK);
        let deprecated = categories.classify("GPL-2.0-with-classpath-exception", None);
        assert_eq!(deprecated.unwrap().id, WEAK);
        let other = categories.classify("GPL-3.0-or-later", Some("Some-other-exception"));
        assert_eq!(other.unwrap().id, STRONG);
    }
}
