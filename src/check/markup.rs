//! Queries XML and HTML bodies: XPath 1.0 on either (sxd-xpath; HTML is
//! parsed by html5ever through scraper, then copied into an sxd document),
//! and CSS selectors on HTML (scraper). Results become JSON: an XPath
//! string, number or boolean as is; selected nodes as their text (one: a
//! string; several: a list; none: absent).
//!
//! Must not evaluate predicates or know subjects. Must not reach the
//! network (no DTD or entity is ever fetched: sxd parses none).

use serde_json::Value;
use sxd_document::Package;
use sxd_document::dom::{Document, Element};

use super::Response;
use super::actual::Actual;

/// Says how a body is read as markup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Markup {
    /// An XML document.
    Xml,
    /// An HTML document (parsed as browsers do, so tag soup is fine).
    Html,
}

/// Tells how to read the body: by content type, else by its first bytes.
pub(super) fn markup_of(response: &Response) -> Markup {
    let content_type = response
        .header("content-type")
        .unwrap_or_default()
        .to_ascii_lowercase();
    if content_type.contains("html") {
        return Markup::Html;
    }
    if content_type.contains("xml") {
        return Markup::Xml;
    }
    let text = response.text();
    let start = text
        .trim_start()
        .get(..15)
        .unwrap_or_default()
        .to_ascii_lowercase();
    if start.starts_with("<!doctype html") || start.starts_with("<html") {
        Markup::Html
    } else {
        Markup::Xml
    }
}

/// Evaluates XPath `query` on the body.
///
/// # Errors
/// Says why: the query does not parse, or the body is not XML.
pub(super) fn xpath(query: &str, response: &Response) -> Result<Actual, String> {
    let text = response.text();
    let package = match markup_of(response) {
        Markup::Xml => sxd_document::parser::parse(&text).map_err(|e| {
            format!("the body is not XML ({e:?}); set a content type with `html` to read it as HTML")
        })?,
        Markup::Html => html_to_sxd(&scraper::Html::parse_document(&text)),
    };
    let document = package.as_document();
    evaluate_xpath(query, &document)
}

/// Evaluates XPath `query` on `document`.
fn evaluate_xpath(query: &str, document: &Document<'_>) -> Result<Actual, String> {
    let factory = sxd_xpath::Factory::new();
    let xpath = factory
        .build(query)
        .map_err(|e| format!("invalid XPath `{query}`: {e}"))?
        .ok_or_else(|| format!("invalid XPath `{query}`: it is empty"))?;
    let context = sxd_xpath::Context::new();
    let value = xpath
        .evaluate(&context, document.root())
        .map_err(|e| format!("XPath `{query}` cannot be evaluated: {e}"))?;
    Ok(match value {
        sxd_xpath::Value::Boolean(b) => Actual::Json(Value::Bool(b)),
        sxd_xpath::Value::Number(n) => Actual::Json(number(n)),
        sxd_xpath::Value::String(s) => Actual::Json(Value::String(s)),
        sxd_xpath::Value::Nodeset(nodes) => {
            let texts: Vec<Value> = nodes
                .document_order()
                .iter()
                .map(|n| Value::String(n.string_value()))
                .collect();
            texts_to_actual(texts)
        }
    })
}

/// Writes an XPath number as JSON: integral values as integers.
fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        // The guard keeps the value exactly representable as an integer.
        #[allow(clippy::cast_possible_truncation)]
        return Value::from(n as i64);
    }
    serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
}

/// Evaluates CSS `selector` on an HTML body: the trimmed text of each match.
///
/// # Errors
/// Says why the selector does not parse.
pub(super) fn css(selector: &str, response: &Response) -> Result<Actual, String> {
    let parsed =
        scraper::Selector::parse(selector).map_err(|e| format!("invalid CSS selector `{selector}`: {e}"))?;
    let document = scraper::Html::parse_document(&response.text());
    let texts: Vec<Value> = document
        .select(&parsed)
        .map(|element| Value::String(element.text().collect::<String>().trim().to_owned()))
        .collect();
    Ok(texts_to_actual(texts))
}

fn texts_to_actual(mut texts: Vec<Value>) -> Actual {
    match texts.len() {
        0 => Actual::Absent,
        1 => Actual::Json(texts.remove(0)),
        _ => Actual::Json(Value::Array(texts)),
    }
}

/// Copies an HTML tree into an sxd document, so XPath can query it.
fn html_to_sxd(html: &scraper::Html) -> Package {
    let package = Package::new();
    let document = package.as_document();
    let element = copy_element(&document, html.root_element());
    document.root().append_child(element);
    package
}

fn copy_element<'d>(document: &Document<'d>, source: scraper::ElementRef<'_>) -> Element<'d> {
    let value = source.value();
    let element = document.create_element(value.name());
    for (name, attribute) in value.attrs() {
        element.set_attribute_value(name, attribute);
    }
    for child in source.children() {
        match child.value() {
            scraper::Node::Element(_) => {
                if let Some(child) = scraper::ElementRef::wrap(child) {
                    element.append_child(copy_element(document, child));
                }
            }
            scraper::Node::Text(text) => element.append_child(document.create_text(text)),
            _ => {}
        }
    }
    element
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::time::Duration;

    fn page(content_type: &str, body: &str) -> Response {
        Response::new(
            200,
            vec![("content-type".into(), content_type.into())],
            body.as_bytes().to_vec(),
            Duration::ZERO,
        )
    }

    #[test]
    fn xpath_reads_xml_and_html() {
        let xml = page(
            "application/xml",
            "<?xml version='1.0'?><r><item id='1'>a</item><item id='2'>b</item></r>",
        );
        assert_eq!(xpath("count(//item)", &xml), Ok(Actual::Json(json!(2))));
        assert_eq!(
            xpath("string(//item[@id='2'])", &xml),
            Ok(Actual::Json(json!("b")))
        );
        assert_eq!(xpath("//item/@id", &xml), Ok(Actual::Json(json!(["1", "2"]))));
        assert_eq!(xpath("//none", &xml), Ok(Actual::Absent));
        assert_eq!(xpath("boolean(//item)", &xml), Ok(Actual::Json(json!(true))));
        let html = page(
            "text/html",
            "<html><head><title>Hi &amp; bye</title></head><body><p class=x>one<p>two</body></html>",
        );
        assert_eq!(xpath("//title", &html), Ok(Actual::Json(json!("Hi & bye"))));
        assert_eq!(xpath("count(//p)", &html), Ok(Actual::Json(json!(2))));
        assert_eq!(xpath("//p[@class='x']", &html), Ok(Actual::Json(json!("one"))));
        assert!(xpath("//[", &xml).unwrap_err().starts_with("invalid XPath `//[`"));
        assert!(
            xpath("//a", &page("application/xml", "<a>"))
                .unwrap_err()
                .starts_with("the body is not XML")
        );
    }

    #[test]
    fn css_selects_html_elements_text() {
        let html = page(
            "text/html",
            "<ul><li class=a> one </li><li>two</li></ul><h1 id=t>Title</h1>",
        );
        assert_eq!(css("h1#t", &html), Ok(Actual::Json(json!("Title"))));
        assert_eq!(css("li", &html), Ok(Actual::Json(json!(["one", "two"]))));
        assert_eq!(css("table", &html), Ok(Actual::Absent));
        assert!(css("li[", &html).unwrap_err().starts_with("invalid CSS selector"));
    }

    #[test]
    fn markup_kind_comes_from_the_content_type_or_the_start() {
        assert_eq!(markup_of(&page("text/html; charset=utf-8", "<x/>")), Markup::Html);
        assert_eq!(markup_of(&page("", "<!DOCTYPE html><p>")), Markup::Html);
        assert_eq!(markup_of(&page("", "<?xml version='1.0'?><a/>")), Markup::Xml);
    }
}
