//! Pages of lists: `page` (from 1) and `per_page` (1 to a maximum) from a query string,
//! checked once for every list endpoint.

use crate::error::{ApiError, ApiResult};

/// A checked page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: u32,
    pub per_page: u32,
}

impl Paging {
    /// `page` (default 1) and `per_page` (default `default`, at most `max`), or a 422 naming
    /// the field that is out of range.
    pub fn of(page: Option<u32>, per_page: Option<u32>, default: u32, max: u32) -> ApiResult<Self> {
        let per_page = per_page.unwrap_or(default);
        if !(1..=max).contains(&per_page) {
            return Err(ApiError::field(
                "per_page",
                format!("must be between 1 and {max}"),
            ));
        }
        let page = page.unwrap_or(1);
        if page == 0 {
            return Err(ApiError::field("page", "starts at 1"));
        }
        Ok(Self { page, per_page })
    }

    /// How many items come before this page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.per_page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_start_at_one_and_sizes_stay_within_bounds() {
        let p = Paging::of(Some(3), Some(20), 50, 500).unwrap();
        assert_eq!((p.page, p.per_page, p.offset()), (3, 20, 40));
        assert_eq!(Paging::of(None, None, 50, 500).unwrap().per_page, 50);
        let zero = Paging::of(Some(0), None, 50, 500).unwrap_err();
        assert_eq!(zero.detail.fields[0].field, "page");
        let big = Paging::of(None, Some(501), 50, 500).unwrap_err();
        assert_eq!(big.detail.fields[0].field, "per_page");
    }
}
