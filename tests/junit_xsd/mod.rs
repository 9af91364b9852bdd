//! A structural check of an XML document against tests/data/junit-10.xsd, read with roxmltree:
//! every element must be declared, carry only declared attributes and every required one, hold
//! only the child elements its declaration names, and text only where its content is mixed or
//! a string. The order of children is not checked: junit-10.xsd's content models are choices
//! (its one sequence, under `testsuites`, holds a single element kind).

use std::collections::HashMap;

const XS: &str = "http://www.w3.org/2001/XMLSchema";

/// What an element may hold.
#[derive(Debug, Default)]
struct Decl {
    /// Declared attributes: name → required.
    attributes: HashMap<String, bool>,
    children: Vec<String>,
    text: bool,
}

/// The schema's global element declarations.
pub struct Schema {
    elements: HashMap<String, Decl>,
}

impl Schema {
    /// The Jenkins junit-10.xsd committed under tests/data/.
    pub fn junit10() -> Schema {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/junit-10.xsd"
        ))
        .expect("tests/data/junit-10.xsd");
        Schema::parse(&text)
    }

    pub fn parse(xsd: &str) -> Schema {
        let doc = roxmltree::Document::parse(xsd).expect("the XSD is XML");
        let xs = |n: &roxmltree::Node, name: &str| {
            n.tag_name().namespace() == Some(XS) && n.tag_name().name() == name
        };
        let mut elements = HashMap::new();
        for el in doc.root_element().children().filter(|n| xs(n, "element")) {
            let name = el
                .attribute("name")
                .expect("global elements are named")
                .to_string();
            let mut decl = Decl {
                text: el.attribute("type") == Some("xs:string"),
                ..Decl::default()
            };
            if let Some(ct) = el.children().find(|n| xs(n, "complexType")) {
                decl.text |= ct.attribute("mixed") == Some("true");
                for d in ct.descendants() {
                    if xs(&d, "attribute") {
                        decl.attributes.insert(
                            d.attribute("name").expect("named attribute").to_string(),
                            d.attribute("use") == Some("required"),
                        );
                    } else if xs(&d, "element") {
                        decl.children
                            .push(d.attribute("ref").expect("a ref").to_string());
                    }
                }
            }
            elements.insert(name, decl);
        }
        Schema { elements }
    }

    /// Every way `xml` departs from the schema (empty when it conforms).
    pub fn violations(&self, xml: &str) -> Vec<String> {
        let doc = match roxmltree::Document::parse(xml) {
            Ok(d) => d,
            Err(e) => return vec![format!("not well-formed XML: {e}")],
        };
        let mut out = Vec::new();
        self.check(doc.root_element(), "", &mut out);
        out
    }

    fn check(&self, node: roxmltree::Node, parent: &str, out: &mut Vec<String>) {
        let name = node.tag_name().name();
        let path = format!("{parent}/{name}");
        let Some(decl) = self.elements.get(name) else {
            out.push(format!("{path}: element not declared"));
            return;
        };
        for a in node.attributes() {
            if !decl.attributes.contains_key(a.name()) {
                out.push(format!("{path}: attribute {} not declared", a.name()));
            }
        }
        for (a, required) in &decl.attributes {
            if *required && node.attribute(a.as_str()).is_none() {
                out.push(format!("{path}: required attribute {a} missing"));
            }
        }
        for child in node.children() {
            if child.is_element() {
                let c = child.tag_name().name();
                if decl.children.iter().any(|d| d == c) {
                    self.check(child, &path, out);
                } else {
                    out.push(format!("{path}: {c} not allowed here"));
                }
            } else if child.is_text()
                && !decl.text
                && !child.text().unwrap_or_default().trim().is_empty()
            {
                out.push(format!("{path}: text not allowed here"));
            }
        }
    }
}
