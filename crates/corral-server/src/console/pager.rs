//! Links between the pages of a long list, and query strings that keep the filters.

/// `path?k=v&…` with the non-empty parameters, percent-encoded.
pub fn href(path: &str, params: &[(&str, String)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    let mut any = false;
    for (k, v) in params {
        if !v.is_empty() {
            query.append_pair(k, v);
            any = true;
        }
    }
    if any {
        format!("{path}?{}", query.finish())
    } else {
        path.to_string()
    }
}

/// Where a list page stands: "51–100 of 9,873", with links to its neighbours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    pub total: u64,
    pub first_item: u64,
    pub last_item: u64,
    pub page: u32,
    pub pages: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// Page `page` (from 1) of `total` items, `per_page` to a page; links go to `path` with
    /// `params` and `page`.
    pub fn new(
        path: &str,
        params: &[(&str, String)],
        page: u32,
        per_page: u32,
        total: u64,
    ) -> Self {
        let per_page = u64::from(per_page.max(1));
        let pages = total.div_ceil(per_page).max(1);
        let first_item = if total == 0 {
            0
        } else {
            (u64::from(page) - 1) * per_page + 1
        };
        let last_item = (u64::from(page) * per_page).min(total);
        let link = |p: u32| {
            let mut all = params.to_vec();
            if p > 1 {
                all.push(("page", p.to_string()));
            }
            href(path, &all)
        };
        Self {
            total,
            first_item,
            last_item,
            page,
            pages,
            prev: (page > 1).then(|| link(page - 1)),
            next: (u64::from(page) < pages).then(|| link(page + 1)),
        }
    }
}

/// `9873` as `9,873`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let head = digits.len() % 3;
    let mut groups: Vec<&str> = Vec::new();
    if head > 0 {
        groups.push(&digits[..head]);
    }
    groups.extend(
        digits.as_bytes()[head..]
            .chunks(3)
            .map(|c| std::str::from_utf8(c).unwrap_or("")),
    );
    groups.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_filters_and_drop_empty_ones() {
        let params = [
            ("tier", "3".to_string()),
            ("q", "lead score".to_string()),
            ("risk", String::new()),
        ];
        assert_eq!(href("/assets", &params), "/assets?tier=3&q=lead+score");
        assert_eq!(href("/assets", &[]), "/assets");
        let pager = Pager::new("/assets", &params, 2, 50, 120);
        assert_eq!(
            (pager.first_item, pager.last_item, pager.pages),
            (51, 100, 3)
        );
        assert_eq!(pager.prev.as_deref(), Some("/assets?tier=3&q=lead+score"));
        assert_eq!(
            pager.next.as_deref(),
            Some("/assets?tier=3&q=lead+score&page=3")
        );
    }

    #[test]
    fn an_empty_list_is_one_page_without_neighbours() {
        let pager = Pager::new("/assets", &[], 1, 50, 0);
        assert_eq!((pager.first_item, pager.last_item, pager.pages), (0, 0, 1));
        assert!(pager.prev.is_none() && pager.next.is_none());
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(9873), "9,873");
        assert_eq!(thousands(100), "100");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
