//! Owns `POST /search`: the request's paging rules and the answer's shape
//! (`from`, `total`, `results[]`, `users{}`), over an account's seeded documents.
//!
//! Pure: gets an account's profile and a parsed body, returns JSON or an
//! [`ApiError`]. Must not read tokens or sessions (the handler checks them).

use serde_json::{Map, Value, json};

use super::account::{DocumentSeed, Profile};
use super::api_error::{ApiError, FieldProblem};
use super::stable_id::stable_uuid;
use super::views::rfc3339;

/// Page size when the request gives none (documented default).
const DEFAULT_SIZE: u64 = 10;
/// Largest page size Circularo accepts.
const MAX_SIZE: u64 = 100;

/// Holds the paging of one search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SearchRequest {
    pub(crate) from: u64,
    pub(crate) size: u64,
}

/// Reads `from` and `size` from a search body. An empty body means the
/// defaults; other documented fields (`sort`, `esQuery`...) are accepted and
/// not interpreted.
pub(crate) fn parse_search(body: &[u8]) -> Result<SearchRequest, ApiError> {
    let invalid = |problems| ApiError::invalid_input("Invalid search request.", problems);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(SearchRequest {
            from: 0,
            size: DEFAULT_SIZE,
        });
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| invalid(vec![FieldProblem::new("body", format!("is not valid JSON: {e}"))]))?;
    let Value::Object(object) = value else {
        return Err(invalid(vec![FieldProblem::new("body", "must be a JSON object")]));
    };
    let mut problems = Vec::new();
    let mut number = |field: &str, default: u64, max: Option<u64>| -> u64 {
        let range = match max {
            Some(max) => format!("must be an integer from 0 to {max}"),
            None => "must be an integer of 0 or more".to_owned(),
        };
        match object.get(field) {
            None | Some(Value::Null) => default,
            Some(value) => match value.as_u64() {
                Some(n) if max.is_none_or(|m| n <= m) => n,
                _ => {
                    problems.push(FieldProblem::new(field, range));
                    default
                }
            },
        }
    };
    let from = number("from", 0, None);
    let size = number("size", DEFAULT_SIZE, Some(MAX_SIZE));
    if problems.is_empty() {
        Ok(SearchRequest { from, size })
    } else {
        Err(invalid(problems))
    }
}

/// Returns one search hit in the flat shape the guides show.
fn document_json(owner: &Profile, doc: &DocumentSeed) -> Value {
    json!({
        "documentId": doc.id.to_string(),
        "documentTitle": doc.title,
        "documentType": doc.document_type,
        "definition": doc.document_type,
        "type": "ext",
        "date": rfc3339(doc.date),
        "_version": doc.version,
        "pdfFile": {
            "content": stable_uuid(&format!("file/{}", doc.id)).simple().to_string(),
            "mimetype": "application/pdf",
            "name": format!("{}.pdf", doc.title),
            "pages": doc.pages,
            "size": doc.size,
        },
        "user": { "name": owner.name, "type": "user" },
        "workflow": { "shareStateName": doc.state.as_str() },
    })
}

/// Returns the answer for one page of `account`'s documents, newest first.
pub(crate) fn search_json(account: &Profile, request: SearchRequest, wrapped: bool) -> Value {
    let total = account.documents.len();
    let from = usize::try_from(request.from).unwrap_or(usize::MAX);
    let size = usize::try_from(request.size).unwrap_or(usize::MAX);
    let results: Vec<Value> = account
        .documents
        .iter()
        .skip(from)
        .take(size)
        .map(|doc| {
            let item = document_json(account, doc);
            if wrapped {
                json!({ "document": item })
            } else {
                item
            }
        })
        .collect();
    let mut users = Map::new();
    if !results.is_empty() {
        users.insert(
            account.name.clone(),
            json!({
                "fullname": account.fullname,
                "mail": account.mail,
                "recordType": "internal",
                "role": account.role,
            }),
        );
    }
    json!({
        "from": request.from,
        "total": total,
        "results": results,
        "users": users,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_body_means_defaults() {
        assert_eq!(parse_search(b"").unwrap(), SearchRequest { from: 0, size: 10 });
        assert_eq!(parse_search(b"{}").unwrap(), SearchRequest { from: 0, size: 10 });
        assert_eq!(
            parse_search(br#"{"from": 20, "size": 5, "sort": []}"#).unwrap(),
            SearchRequest { from: 20, size: 5 }
        );
        assert_eq!(
            parse_search(br#"{"size": 100, "from": null}"#).unwrap(),
            SearchRequest { from: 0, size: 100 }
        );
    }

    #[test]
    fn out_of_range_paging_is_refused_per_field() {
        for (body, field) in [
            (r#"{"size": 101}"#, "size"),
            (r#"{"size": -1}"#, "size"),
            (r#"{"from": -1}"#, "from"),
            (r#"{"from": 1.5}"#, "from"),
            (r#"{"from": "0"}"#, "from"),
        ] {
            let err = parse_search(body.as_bytes()).unwrap_err();
            assert_eq!(err.status.as_u16(), 400, "{body}");
            assert_eq!(err.details[0]["field"], field, "{body}");
        }
        assert_eq!(parse_search(b"[1]").unwrap_err().details[0]["field"], "body");
        assert_eq!(parse_search(b"{").unwrap_err().details[0]["field"], "body");
    }
}
