//! HTML reader: the main text of a saved web page without its furniture
//! (navigation, sidebars, comments, share buttons, related lists, ads…),
//! and the metadata its `<meta>` tags state (Highwire `citation_*`, Dublin
//! Core, JSON-LD, Open Graph, `<title>`, `<html lang>`).
//!
//! Parsing is html5ever into a flat arena; every walk over the tree is
//! iterative, so deeply nested markup cannot overflow the stack.

use super::extracted::{
    Block, Extracted, Meta, ReadError, TextOut, bare_doi, clean_line, non_empty, render,
    split_pages,
};

/// Largest HTML text accepted.
pub const MAX_HTML_BYTES: usize = 64 << 20;

/// Reads a saved web page: its main text and stated metadata.
pub fn read_html(text: &str) -> Result<Extracted, ReadError> {
    if text.len() > MAX_HTML_BYTES {
        return Err(ReadError::TooLarge(format!(
            "HTML is {} MB, limit {} MB",
            text.len() >> 20,
            MAX_HTML_BYTES >> 20
        )));
    }
    if !looks_like_html(text) {
        return Err(ReadError::NotHtml);
    }
    let page = Page::parse(text);
    let tags = MetaTags::collect(&page);
    let meta = tags.to_meta();
    let mut blocks = page.main_text();
    if let Some(Block::Heading(_, h)) = blocks.first()
        && tags.title_candidates().iter().any(|t| t == h)
    {
        blocks.remove(0);
    }
    Ok(Extracted {
        text: render(&blocks),
        meta,
    })
}

/// Some tag-like markup in the first part of the text, and no NUL bytes.
fn looks_like_html(text: &str) -> bool {
    let head = &text.as_bytes()[..text.len().min(8192)];
    if head.contains(&0) {
        return false;
    }
    let b = text.as_bytes();
    b.windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'!' || w[1] == b'?'))
}

/// Blocks of an XHTML/HTML document read whole (no boilerplate removal),
/// for EPUB chapters. `xhtml` is XML syntax: self-closed non-void elements
/// are rewritten so the HTML parser does not leave them open.
pub(crate) fn document_blocks(xhtml: &str) -> Vec<Block> {
    let page = Page::parse(&xhtml_to_html(xhtml));
    let root = page.body().unwrap_or(0);
    page.render(&[root], &Flags::none(page.len()), false)
}

/// Entries of an EPUB 3 navigation document's table of contents, in order:
/// (href as written, label).
pub(crate) fn nav_toc(xhtml: &str) -> Vec<(String, String)> {
    let page = Page::parse(&xhtml_to_html(xhtml));
    let navs: Vec<usize> = (0..page.len())
        .filter(|&i| page.tag(i) == Some("nav"))
        .collect();
    let toc = navs
        .iter()
        .copied()
        .find(|&i| {
            page.attr(i, "epub:type")
                .or_else(|| page.attr(i, "role"))
                .is_some_and(|t| t.split_whitespace().any(|w| w == "toc" || w == "doc-toc"))
        })
        .or_else(|| navs.first().copied());
    let mut out = Vec::new();
    let Some(nav) = toc else {
        return out;
    };
    for i in nav..page.end[nav] {
        if page.tag(i) == Some("a")
            && let Some(href) = page.attr(i, "href")
        {
            let label = clean_line(&page.text_of(i));
            if !label.is_empty() {
                out.push((href.to_string(), label));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Parsing: html5ever into an index arena, then flattened to pre-order.

mod dom {
    use html5ever::interface::tree_builder::{
        ElemName, ElementFlags, NodeOrText, QuirksMode, TreeSink,
    };
    use html5ever::tendril::{StrTendril, TendrilSink};
    use html5ever::{Attribute, LocalName, Namespace, QualName};
    use std::borrow::Cow;
    use std::cell::RefCell;

    pub(super) enum Data {
        Document,
        Text(StrTendril),
        Element {
            name: QualName,
            attrs: Vec<Attribute>,
            template: Option<usize>,
            mathml_aip: bool,
        },
        Other,
    }

    pub(super) struct Node {
        pub parent: Option<usize>,
        pub first_child: Option<usize>,
        pub last_child: Option<usize>,
        pub prev: Option<usize>,
        pub next: Option<usize>,
        pub data: Data,
    }

    #[derive(Default)]
    pub(super) struct Sink {
        pub nodes: RefCell<Vec<Node>>,
    }

    #[derive(Debug)]
    pub(super) struct Name(QualName);

    impl ElemName for Name {
        fn ns(&self) -> &Namespace {
            &self.0.ns
        }
        fn local_name(&self) -> &LocalName {
            &self.0.local
        }
    }

    impl Sink {
        fn new_node(&self, data: Data) -> usize {
            let mut nodes = self.nodes.borrow_mut();
            nodes.push(Node {
                parent: None,
                first_child: None,
                last_child: None,
                prev: None,
                next: None,
                data,
            });
            nodes.len() - 1
        }

        fn detach(nodes: &mut [Node], n: usize) {
            let (parent, prev, next) = (nodes[n].parent, nodes[n].prev, nodes[n].next);
            if let Some(nx) = next {
                nodes[nx].prev = prev;
            } else if let Some(p) = parent {
                nodes[p].last_child = prev;
            }
            if let Some(pv) = prev {
                nodes[pv].next = next;
            } else if let Some(p) = parent {
                nodes[p].first_child = next;
            }
            nodes[n].parent = None;
            nodes[n].prev = None;
            nodes[n].next = None;
        }

        fn append_node(nodes: &mut [Node], parent: usize, child: usize) {
            Self::detach(nodes, child);
            nodes[child].parent = Some(parent);
            if let Some(last) = nodes[parent].last_child {
                nodes[child].prev = Some(last);
                nodes[last].next = Some(child);
            } else {
                nodes[parent].first_child = Some(child);
            }
            nodes[parent].last_child = Some(child);
        }

        fn insert_before(nodes: &mut [Node], sibling: usize, child: usize) {
            Self::detach(nodes, child);
            let parent = nodes[sibling].parent;
            nodes[child].parent = parent;
            nodes[child].next = Some(sibling);
            if let Some(pv) = nodes[sibling].prev {
                nodes[child].prev = Some(pv);
                nodes[pv].next = Some(child);
            } else if let Some(p) = parent {
                nodes[p].first_child = Some(child);
            }
            nodes[sibling].prev = Some(child);
        }

        /// Appends text to `existing` when it is a text node; true if done.
        fn merge_text(nodes: &mut [Node], existing: Option<usize>, text: &StrTendril) -> bool {
            if let Some(e) = existing
                && let Data::Text(t) = &mut nodes[e].data
            {
                t.push_tendril(text);
                return true;
            }
            false
        }
    }

    impl TreeSink for Sink {
        type Handle = usize;
        type Output = Vec<Node>;
        type ElemName<'a> = Name;

        fn finish(self) -> Vec<Node> {
            self.nodes.into_inner()
        }

        fn parse_error(&self, _msg: Cow<'static, str>) {}

        fn get_document(&self) -> usize {
            0
        }

        fn elem_name<'a>(&'a self, target: &'a usize) -> Name {
            match &self.nodes.borrow()[*target].data {
                Data::Element { name, .. } => Name(name.clone()),
                _ => Name(QualName::new(None, html5ever::ns!(), LocalName::from(""))),
            }
        }

        fn create_element(
            &self,
            name: QualName,
            attrs: Vec<Attribute>,
            flags: ElementFlags,
        ) -> usize {
            let template = flags.template.then(|| self.new_node(Data::Document));
            self.new_node(Data::Element {
                name,
                attrs,
                template,
                mathml_aip: flags.mathml_annotation_xml_integration_point,
            })
        }

        fn create_comment(&self, _text: StrTendril) -> usize {
            self.new_node(Data::Other)
        }

        fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> usize {
            self.new_node(Data::Other)
        }

        fn append(&self, parent: &usize, child: NodeOrText<usize>) {
            match child {
                NodeOrText::AppendText(text) => {
                    let mut nodes = self.nodes.borrow_mut();
                    let last = nodes[*parent].last_child;
                    if Self::merge_text(&mut nodes, last, &text) {
                        return;
                    }
                    drop(nodes);
                    let n = self.new_node(Data::Text(text));
                    Self::append_node(&mut self.nodes.borrow_mut(), *parent, n);
                }
                NodeOrText::AppendNode(n) => {
                    Self::append_node(&mut self.nodes.borrow_mut(), *parent, n);
                }
            }
        }

        fn append_based_on_parent_node(
            &self,
            element: &usize,
            prev_element: &usize,
            child: NodeOrText<usize>,
        ) {
            let has_parent = self.nodes.borrow()[*element].parent.is_some();
            if has_parent {
                self.append_before_sibling(element, child);
            } else {
                self.append(prev_element, child);
            }
        }

        fn append_doctype_to_document(
            &self,
            _name: StrTendril,
            _public_id: StrTendril,
            _system_id: StrTendril,
        ) {
        }

        fn get_template_contents(&self, target: &usize) -> usize {
            match &self.nodes.borrow()[*target].data {
                Data::Element {
                    template: Some(t), ..
                } => *t,
                _ => *target,
            }
        }

        fn same_node(&self, x: &usize, y: &usize) -> bool {
            x == y
        }

        fn set_quirks_mode(&self, _mode: QuirksMode) {}

        fn append_before_sibling(&self, sibling: &usize, child: NodeOrText<usize>) {
            match child {
                NodeOrText::AppendText(text) => {
                    let mut nodes = self.nodes.borrow_mut();
                    let prev = nodes[*sibling].prev;
                    if Self::merge_text(&mut nodes, prev, &text) {
                        return;
                    }
                    drop(nodes);
                    let n = self.new_node(Data::Text(text));
                    Self::insert_before(&mut self.nodes.borrow_mut(), *sibling, n);
                }
                NodeOrText::AppendNode(n) => {
                    Self::insert_before(&mut self.nodes.borrow_mut(), *sibling, n);
                }
            }
        }

        fn add_attrs_if_missing(&self, target: &usize, new_attrs: Vec<Attribute>) {
            if let Data::Element { attrs, .. } = &mut self.nodes.borrow_mut()[*target].data {
                for a in new_attrs {
                    if !attrs.iter().any(|e| e.name == a.name) {
                        attrs.push(a);
                    }
                }
            }
        }

        fn remove_from_parent(&self, target: &usize) {
            Self::detach(&mut self.nodes.borrow_mut(), *target);
        }

        fn reparent_children(&self, node: &usize, new_parent: &usize) {
            let mut nodes = self.nodes.borrow_mut();
            let mut next = nodes[*node].first_child;
            while let Some(c) = next {
                next = nodes[c].next;
                Self::append_node(&mut nodes, *new_parent, c);
            }
        }

        fn is_mathml_annotation_xml_integration_point(&self, handle: &usize) -> bool {
            matches!(
                self.nodes.borrow()[*handle].data,
                Data::Element {
                    mathml_aip: true,
                    ..
                }
            )
        }
    }

    pub(super) fn parse(text: &str) -> Vec<Node> {
        let sink = Sink::default();
        sink.new_node(Data::Document);
        html5ever::parse_document(sink, Default::default()).one(text)
    }
}

/// One node of the flattened tree.
enum Item {
    Elem {
        tag: String,
        attrs: Vec<(String, String)>,
    },
    Text(String),
    Other,
}

/// The parsed page in pre-order: node `i`'s subtree is `i..end[i]`.
struct Page {
    items: Vec<Item>,
    parent: Vec<usize>,
    end: Vec<usize>,
}

impl Page {
    fn parse(text: &str) -> Page {
        let text = cap_nesting(text, MAX_DEPTH);
        let mut nodes = dom::parse(&text);
        let mut items = Vec::with_capacity(nodes.len());
        let mut parent = Vec::with_capacity(nodes.len());
        // (arena index, parent's pre-order position)
        let mut stack: Vec<(usize, usize)> = vec![(0, usize::MAX)];
        let mut children = Vec::new();
        while let Some((n, p)) = stack.pop() {
            let pos = items.len();
            let data = std::mem::replace(&mut nodes[n].data, dom::Data::Other);
            items.push(match data {
                dom::Data::Text(t) => Item::Text(t.to_string()),
                dom::Data::Element { name, attrs, .. } => Item::Elem {
                    tag: name.local.to_ascii_lowercase().to_string(),
                    attrs: attrs
                        .into_iter()
                        .map(|a| {
                            let key = match &a.name.prefix {
                                Some(pfx) => format!("{}:{}", pfx, a.name.local),
                                None => a.name.local.to_string(),
                            };
                            (key.to_ascii_lowercase(), a.value.to_string())
                        })
                        .collect(),
                },
                _ => Item::Other,
            });
            parent.push(p);
            children.clear();
            let mut c = nodes[n].first_child;
            while let Some(ch) = c {
                children.push(ch);
                c = nodes[ch].next;
            }
            for &ch in children.iter().rev() {
                stack.push((ch, pos));
            }
        }
        let n = items.len();
        let mut end: Vec<usize> = (1..=n).collect();
        for i in (1..n).rev() {
            let p = parent[i];
            if end[i] > end[p] {
                end[p] = end[i];
            }
        }
        Page { items, parent, end }
    }

    fn len(&self) -> usize {
        self.items.len()
    }

    fn tag(&self, i: usize) -> Option<&str> {
        match &self.items[i] {
            Item::Elem { tag, .. } => Some(tag),
            _ => None,
        }
    }

    fn attr(&self, i: usize, name: &str) -> Option<&str> {
        match &self.items[i] {
            Item::Elem { attrs, .. } => attrs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str()),
            _ => None,
        }
    }

    /// Direct children of `i`, in order.
    fn children(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut c = i + 1;
        while c < self.end[i] {
            out.push(c);
            c = self.end[c];
        }
        out
    }

    /// All text under `i`, skipping script/style.
    fn text_of(&self, i: usize) -> String {
        let mut s = String::new();
        let mut j = i;
        while j < self.end[i] {
            match &self.items[j] {
                Item::Elem { tag, .. }
                    if j != i && matches!(tag.as_str(), "script" | "style" | "template") =>
                {
                    j = self.end[j];
                    continue;
                }
                Item::Text(t) => s.push_str(t),
                _ => {}
            }
            j += 1;
        }
        s
    }

    fn first_tag(&self, name: &str) -> Option<usize> {
        (0..self.len()).find(|&i| self.tag(i) == Some(name))
    }

    fn body(&self) -> Option<usize> {
        self.first_tag("body")
    }
}

// ---------------------------------------------------------------------------
// Element classes.

/// Never text: skipped in every mode.
fn is_skipped(tag: &str) -> bool {
    matches!(
        tag,
        "head"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "video"
            | "audio"
            | "select"
            | "option"
            | "optgroup"
            | "textarea"
            | "input"
            | "button"
            | "datalist"
            | "map"
            | "area"
            | "link"
            | "meta"
            | "title"
            | "base"
            | "param"
            | "source"
            | "track"
            | "img"
            | "picture"
            | "rp"
            | "annotation-xml"
            | "annotation"
    )
}

/// Block-level: starts and ends a paragraph.
fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "li"
            | "listing"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "thead"
            | "tfoot"
            | "tr"
            | "caption"
            | "ul"
            | "xmp"
            | "plaintext"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "math"
    )
}

fn heading_level(tag: &str) -> Option<u8> {
    match tag {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// class/id tokens that mark page furniture.
#[rustfmt::skip]
const NEG_TOKENS: &[&str] = &[
    "nav", "navbar", "navigation", "menu", "menus", "submenu", "megamenu", "comment",
    "comments", "komentar", "share", "sharing", "sharer", "social", "sosmed", "socmed",
    "related", "terkait", "footer", "sidebar", "widget", "widgets", "banner", "cookie",
    "cookies", "consent", "gdpr", "advert", "advertisement", "ads", "ad", "adsbygoogle",
    "iklan", "popup", "modal", "breadcrumb", "breadcrumbs", "subscribe", "newsletter",
    "langganan", "bagikan", "laporkan", "report", "masthead", "topbar", "toolbar", "pagination",
    "pager", "tags", "tagcloud", "disqus", "respond", "reply", "replies", "promo", "sponsor",
    "sponsored", "recommended", "rekomendasi", "popular", "populer", "terpopuler", "trending",
    "terbaru", "byline", "meta", "bio", "skip", "login", "signup", "search", "offcanvas",
    "overlay", "komen", "tanggapan", "juga", "readalso", "bacajuga", "shoutbox", "rss", "print",
    "jump", "toc",
];

/// Prefixes of class/id tokens that mark page furniture ("commentlist",
/// "sharedaddy", "relatedposts"…).
#[rustfmt::skip]
const NEG_PREFIXES: &[&str] = &[
    "comment", "komentar", "share", "sharing", "social", "related", "terkait", "sidebar",
    "widget", "cookie", "advert", "breadcrumb", "subscribe", "newsletter", "navbar",
    "navigation", "footer", "banner", "popup", "sponsor", "promo", "bagikan", "laporkan",
    "iklan", "disqus", "adsby", "adslot", "adunit",
];

/// Furniture that can outweigh the article itself.
#[rustfmt::skip]
const STRONG_NEG: &[&str] = &[
    "comment", "komentar", "komen", "disqus", "respond", "repl", "tanggapan",
];

/// Class values that mean "not shown".
#[rustfmt::skip]
const HIDDEN_CLASSES: &[&str] = &[
    "hidden", "d-none", "sr-only", "screen-reader-text", "visually-hidden", "visuallyhidden",
    "hide", "invisible", "screen-reader-only",
];

fn tokens(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| t.to_lowercase())
}

enum Verdict {
    Keep,
    /// Furniture; `strong` when it may hold more text than the article.
    Drop {
        strong: bool,
    },
    /// A header: only its headings are kept, and only inside an article.
    Header,
}

impl Page {
    fn class_id(&self, i: usize) -> String {
        let mut s = String::new();
        for k in ["class", "id"] {
            if let Some(v) = self.attr(i, k) {
                s.push_str(v);
                s.push(' ');
            }
        }
        s
    }

    fn is_hidden(&self, i: usize) -> bool {
        if self.attr(i, "hidden").is_some() || self.attr(i, "aria-hidden") == Some("true") {
            return true;
        }
        if let Some(style) = self.attr(i, "style") {
            let s: String = style
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_lowercase();
            if s.contains("display:none") || s.contains("visibility:hidden") {
                return true;
            }
        }
        if let Some(class) = self.attr(i, "class") {
            let class = class.to_lowercase();
            return class.contains("screen-reader")
                || class.contains("screen_reader")
                || class
                    .split_whitespace()
                    .any(|c| HIDDEN_CLASSES.contains(&c));
        }
        false
    }

    fn is_protected(&self, i: usize) -> bool {
        let tag = self.tag(i).unwrap_or("");
        matches!(tag, "article" | "main" | "body" | "html")
            || self
                .attr(i, "role")
                .is_some_and(|r| r.eq_ignore_ascii_case("main"))
            || self
                .attr(i, "itemprop")
                .is_some_and(|p| p.to_ascii_lowercase().contains("articlebody"))
    }

    /// What to do with element `i` on a web page, by tag, role and class.
    fn verdict(&self, i: usize) -> Verdict {
        let tag = self.tag(i).unwrap_or("");
        if self.is_protected(i) {
            return Verdict::Keep;
        }
        match tag {
            "nav" | "aside" | "footer" | "form" | "dialog" | "menu" => {
                return Verdict::Drop { strong: false };
            }
            "header" => return Verdict::Header,
            _ => {}
        }
        if self.is_hidden(i) {
            return Verdict::Drop { strong: true };
        }
        if let Some(role) = self.attr(i, "role") {
            let role = role.to_ascii_lowercase();
            if matches!(
                role.as_str(),
                "navigation"
                    | "banner"
                    | "contentinfo"
                    | "complementary"
                    | "search"
                    | "menu"
                    | "menubar"
                    | "toolbar"
                    | "dialog"
                    | "alertdialog"
                    | "tablist"
            ) {
                return Verdict::Drop { strong: false };
            }
        }
        let ci = self.class_id(i);
        if ci.is_empty() {
            return Verdict::Keep;
        }
        let mut neg = false;
        let mut strong = false;
        let mut header = false;
        for t in tokens(&ci) {
            if t == "header" || t == "head" {
                header = true;
            }
            if NEG_TOKENS.contains(&t.as_str()) || NEG_PREFIXES.iter().any(|p| t.starts_with(p)) {
                neg = true;
                if STRONG_NEG.iter().any(|p| t.starts_with(p)) {
                    strong = true;
                }
            }
        }
        if neg {
            Verdict::Drop { strong }
        } else if header {
            Verdict::Header
        } else {
            Verdict::Keep
        }
    }
}

/// Per-node results of the boilerplate passes.
struct Flags {
    /// Removed with its subtree.
    removed: Vec<bool>,
    /// Header kept for its headings only.
    headings_only: Vec<bool>,
    /// Visible non-space characters (removed parts excluded).
    text_len: Vec<usize>,
    /// Of which inside links.
    link_len: Vec<usize>,
    /// Commas in the kept text.
    commas: Vec<usize>,
}

impl Flags {
    fn none(n: usize) -> Flags {
        Flags {
            removed: vec![false; n],
            headings_only: vec![false; n],
            text_len: vec![0; n],
            link_len: vec![0; n],
            commas: vec![0; n],
        }
    }

    fn link_density(&self, i: usize) -> f64 {
        if self.text_len[i] == 0 {
            0.0
        } else {
            self.link_len[i] as f64 / self.text_len[i] as f64
        }
    }
}

fn visible_len(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

fn commas(s: &str) -> usize {
    s.chars()
        .filter(|&c| c == ',' || c == '\u{FF0C}' || c == '\u{3001}')
        .count()
}

impl Page {
    /// The boilerplate passes: what is removed, and text/link lengths.
    fn flags(&self) -> Flags {
        let n = self.len();
        let mut f = Flags::none(n);
        // Bottom-up: raw visible text, and whether a protected element lies below.
        let mut raw = vec![0usize; n];
        let mut protected_below = vec![false; n];
        for i in (0..n).rev() {
            match &self.items[i] {
                Item::Text(t) => raw[i] += visible_len(t),
                Item::Elem { tag, .. } if is_skipped(tag) => raw[i] = 0,
                Item::Elem { .. } => {
                    if self.is_protected(i) && !matches!(self.tag(i), Some("body" | "html")) {
                        protected_below[i] = true;
                    }
                }
                Item::Other => {}
            }
            if i > 0 {
                let p = self.parent[i];
                raw[p] += raw[i];
                protected_below[p] |= protected_below[i];
            }
        }
        let total = self.body().map(|b| raw[b]).unwrap_or(raw[0]).max(1);
        // Top-down: removal.
        let mut in_article = vec![false; n];
        for i in 0..n {
            let p = if i == 0 { None } else { Some(self.parent[i]) };
            if let Some(p) = p {
                if f.removed[p] {
                    f.removed[i] = true;
                    continue;
                }
                in_article[i] = in_article[p];
                f.headings_only[i] = f.headings_only[p];
            }
            let Some(tag) = self.tag(i) else { continue };
            if is_skipped(tag) {
                f.removed[i] = true;
                continue;
            }
            if tag == "article"
                || self
                    .attr(i, "itemprop")
                    .is_some_and(|p| p.to_ascii_lowercase().contains("articlebody"))
            {
                in_article[i] = true;
            }
            match self.verdict(i) {
                Verdict::Keep => {}
                Verdict::Header => {
                    if protected_below[i] {
                    } else if in_article[i] {
                        f.headings_only[i] = true;
                    } else {
                        f.removed[i] = true;
                    }
                }
                Verdict::Drop { strong } => {
                    let wrapper = !strong && raw[i] * 2 >= total;
                    if !protected_below[i] && !wrapper {
                        f.removed[i] = true;
                    }
                }
            }
        }
        // Bottom-up: kept text and link text.
        let mut in_link = vec![false; n];
        for i in 0..n {
            if i > 0 {
                in_link[i] = in_link[self.parent[i]];
            }
            if self.tag(i) == Some("a") {
                in_link[i] = true;
            }
        }
        for i in (0..n).rev() {
            if f.removed[i] {
                continue;
            }
            if let Item::Text(t) = &self.items[i] {
                let l = visible_len(t);
                f.text_len[i] = l;
                f.commas[i] = commas(t);
                if in_link[i] {
                    f.link_len[i] = l;
                }
            }
            if i > 0 {
                let p = self.parent[i];
                f.text_len[p] += f.text_len[i];
                f.link_len[p] += f.link_len[i];
                f.commas[p] += f.commas[i];
            }
        }
        f
    }

    /// Whether `i` is a paragraph for scoring: a text block element, or a
    /// div/section holding only inline content.
    fn is_para(&self, i: usize) -> bool {
        match self.tag(i) {
            Some("p" | "pre" | "td" | "blockquote") => true,
            Some("div" | "section") => !self.children(i).iter().any(|&c| {
                self.tag(c)
                    .is_some_and(|t| is_block(t) && !matches!(t, "br"))
            }),
            _ => false,
        }
    }

    fn class_weight(&self, i: usize) -> f64 {
        let ci = self.class_id(i);
        let mut w = 0.0;
        let mut pos = false;
        let mut neg = false;
        for t in tokens(&ci) {
            if matches!(
                t.as_str(),
                "article"
                    | "body"
                    | "content"
                    | "entry"
                    | "hentry"
                    | "main"
                    | "page"
                    | "post"
                    | "text"
                    | "blog"
                    | "story"
                    | "artikel"
                    | "isi"
                    | "konten"
                    | "berita"
                    | "read"
                    | "detail"
                    | "single"
            ) {
                pos = true;
            }
            if NEG_TOKENS.contains(&t.as_str()) || NEG_PREFIXES.iter().any(|p| t.starts_with(p)) {
                neg = true;
            }
        }
        if pos {
            w += 25.0;
        }
        if neg {
            w -= 25.0;
        }
        w
    }

    fn tag_weight(&self, i: usize) -> f64 {
        match self.tag(i).unwrap_or("") {
            "div" | "article" | "main" | "section" => 5.0,
            "pre" | "td" | "blockquote" => 3.0,
            "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
            _ => 0.0,
        }
    }

    /// Chooses the element(s) holding the article.
    fn main_roots(&self, f: &Flags) -> Vec<usize> {
        let n = self.len();
        let body = self.body().unwrap_or(0);
        // Paragraph text (non-link) under each node.
        let mut para = vec![0usize; n];
        let is_para: Vec<bool> = (0..n).map(|i| !f.removed[i] && self.is_para(i)).collect();
        for i in (0..n).rev() {
            if f.removed[i] {
                continue;
            }
            if is_para[i] {
                para[i] = f.text_len[i] - f.link_len[i];
            }
            if i > 0 && !(is_para[self.parent[i]]) {
                para[self.parent[i]] += para[i];
            }
        }
        let total = para[body].max(1);
        let kept = |i: &usize| !f.removed[*i];
        // 1. An explicit article body.
        let bodies: Vec<usize> = (0..n)
            .filter(kept)
            .filter(|&i| {
                self.attr(i, "itemprop")
                    .is_some_and(|p| p.to_ascii_lowercase().contains("articlebody"))
            })
            .collect();
        if let Some(&b) = bodies
            .iter()
            .max_by_key(|&&i| (f.text_len[i], usize::MAX - i))
            && f.text_len[b] > 0
        {
            return vec![b];
        }
        // 2. An <article>, then <main>, holding most of the paragraph text.
        for pick in [&|i: usize| self.tag(i) == Some("article"), &|i: usize| {
            self.tag(i) == Some("main")
                || self
                    .attr(i, "role")
                    .is_some_and(|r| r.eq_ignore_ascii_case("main"))
        }] as [&dyn Fn(usize) -> bool; 2]
        {
            let best = (0..n)
                .filter(kept)
                .filter(|&i| pick(i))
                .max_by_key(|&i| (para[i], usize::MAX - i));
            if let Some(b) = best
                && para[b] > 0
                && para[b] * 10 >= total * 4
            {
                return vec![b];
            }
        }
        // 3. Readability-style scoring.
        let mut score = vec![0f64; n];
        let mut init = vec![false; n];
        for i in (0..n).filter(|&i| is_para[i]) {
            let len = f.text_len[i];
            if len < 25 {
                continue;
            }
            let s = 1.0 + f.commas[i] as f64 + (len as f64 / 100.0).min(3.0);
            let mut a = self.parent[i];
            let mut level = 0;
            while a != usize::MAX && level < 5 && a != 0 {
                if self.tag(a).is_none() || f.removed[a] {
                    break;
                }
                if !init[a] {
                    init[a] = true;
                    score[a] = self.tag_weight(a) + self.class_weight(a);
                }
                let div = match level {
                    0 => 1.0,
                    1 => 2.0,
                    l => l as f64 * 3.0,
                };
                score[a] += s / div;
                a = self.parent[a];
                level += 1;
            }
        }
        let final_score = |i: usize| score[i] * (1.0 - f.link_density(i));
        let Some(top) = (0..n)
            .filter(|&i| init[i])
            .max_by(|&a, &b| final_score(a).total_cmp(&final_score(b)).then(b.cmp(&a)))
        else {
            return vec![body];
        };
        // Siblings that look like more of the same article.
        let p = self.parent[top];
        if p == usize::MAX || p == 0 {
            return vec![top];
        }
        let threshold = (final_score(top) * 0.2).max(10.0);
        let mut roots = Vec::new();
        for s in self.children(p) {
            if s == top {
                roots.push(s);
                continue;
            }
            if f.removed[s] || self.tag(s).is_none() {
                continue;
            }
            let ld = f.link_density(s);
            // A sibling joins when it carries real paragraph text, not just
            // a good class name.
            let good =
                (init[s] && final_score(s) >= threshold && para[s] * 5 >= para[top] && ld < 0.3)
                    || (self.tag(s) == Some("p") && f.text_len[s] > 80 && ld < 0.25);
            if good {
                roots.push(s);
            }
        }
        roots
    }

    /// The article's blocks, furniture removed.
    fn main_text(&self) -> Vec<Block> {
        let f = self.flags();
        let roots = self.main_roots(&f);
        self.render(&roots, &f, true)
    }

    /// Renders the subtrees of `roots` into blocks. With `page`, removed
    /// nodes, header rules and link-heavy blocks apply.
    fn render(&self, roots: &[usize], f: &Flags, page: bool) -> Vec<Block> {
        let mut out = TextOut::new(page);
        enum Close {
            Block,
            Heading,
            Pre,
            HeadingsOnly,
            Row,
            Nothing,
        }
        for &root in roots {
            let mut stack: Vec<(usize, Close)> = Vec::new();
            let mut pre = 0usize;
            let mut headings_only = 0usize;
            let mut in_heading = 0usize;
            let mut cells_in_row: Vec<usize> = Vec::new();
            let mut i = root;
            let stop = self.end[root];
            loop {
                while let Some((end, _)) = stack.last()
                    && *end <= i
                {
                    let (_, c) = stack.pop().unwrap();
                    match c {
                        Close::Block => out.end_block(),
                        Close::Heading => {
                            out.end_heading();
                            in_heading -= 1;
                        }
                        Close::Pre => {
                            pre -= 1;
                            out.end_block();
                        }
                        Close::HeadingsOnly => headings_only -= 1,
                        Close::Row => {
                            cells_in_row.pop();
                            out.end_block();
                        }
                        Close::Nothing => {}
                    }
                }
                if i >= stop {
                    break;
                }
                match &self.items[i] {
                    Item::Text(t) => {
                        if headings_only == 0 || in_heading > 0 {
                            if pre > 0 {
                                out.pre_text(t);
                            } else {
                                out.text(t);
                            }
                        }
                        i += 1;
                    }
                    Item::Other => i += 1,
                    Item::Elem { tag, .. } => {
                        let tag = tag.as_str();
                        let skip = is_skipped(tag)
                            || (page && i != root && (f.removed[i] || self.link_heavy(i, f)));
                        if skip {
                            i = self.end[i];
                            continue;
                        }
                        let end = self.end[i];
                        let close = if let Some(level) = heading_level(tag) {
                            out.start_heading(level);
                            in_heading += 1;
                            Close::Heading
                        } else if tag == "br" {
                            out.line_break();
                            Close::Nothing
                        } else if tag == "hr" {
                            out.end_block();
                            Close::Nothing
                        } else if matches!(tag, "pre" | "listing" | "xmp" | "plaintext") {
                            out.end_block();
                            pre += 1;
                            Close::Pre
                        } else if matches!(tag, "td" | "th") {
                            if let Some(c) = cells_in_row.last_mut() {
                                if *c > 0 {
                                    out.text(" ");
                                }
                                *c += 1;
                            }
                            Close::Nothing
                        } else if tag == "tr" {
                            out.end_block();
                            cells_in_row.push(0);
                            Close::Row
                        } else if is_block(tag) {
                            out.end_block();
                            Close::Block
                        } else {
                            Close::Nothing
                        };
                        let close = if page
                            && f.headings_only[i]
                            && (i == root || !f.headings_only[self.parent[i]])
                        {
                            headings_only += 1;
                            stack.push((end, close));
                            Close::HeadingsOnly
                        } else {
                            close
                        };
                        stack.push((end, close));
                        i += 1;
                    }
                }
            }
            out.end_block();
        }
        out.finish()
    }

    /// Link-heavy blocks inside the article: link lists, "Baca juga" lines.
    fn link_heavy(&self, i: usize, f: &Flags) -> bool {
        let tag = self.tag(i).unwrap_or("");
        let ld = f.link_density(i);
        if ld <= 0.5 {
            return false;
        }
        match tag {
            "ul" | "ol" | "dl" | "table" | "div" | "section" | "nav" | "menu" => true,
            "p" | "li" | "dd" | "dt" => f.text_len[i] < 100,
            _ => false,
        }
    }
}

/// Deepest element nesting passed to the parser. html5ever's scope checks
/// walk the stack of open elements, so nesting costs O(depth) per tag;
/// capping it keeps pathological input (10,000 nested `<div>`s) linear.
pub const MAX_DEPTH: usize = 512;

/// Elements whose end tag may be omitted, and void elements: they do not
/// count towards the nesting estimate.
fn uncounted(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "dt"
            | "dd"
            | "td"
            | "th"
            | "tr"
            | "option"
            | "optgroup"
            | "rb"
            | "rt"
            | "rp"
            | "rtc"
            | "thead"
            | "tbody"
            | "tfoot"
            | "colgroup"
            | "caption"
            | "html"
            | "head"
            | "body"
            | "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "keygen"
    )
}

/// Drops start tags (and their end tags) that would nest deeper than
/// `limit` by a lexical estimate; text is kept. Borrowed when nothing is
/// dropped.
fn cap_nesting(s: &str, limit: usize) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let b = s.as_bytes();
    if memchr_count(b, b'<') <= limit {
        return Cow::Borrowed(s);
    }
    let mut out: Option<String> = None;
    let mut last = 0; // start of the not yet copied input
    let mut depth = 0usize;
    let mut dropped: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut i = 0;
    let find = |from: usize, pat: &str| s[from..].find(pat).map(|e| from + e);
    while i < b.len() {
        let Some(lt) = s[i..].find('<').map(|e| i + e) else {
            break;
        };
        i = lt;
        let rest = &s[i..];
        if rest.starts_with("<!--") {
            i = find(i + 4, "-->").map(|e| e + 3).unwrap_or(b.len());
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            i = find(i, ">").map(|e| e + 1).unwrap_or(b.len());
            continue;
        }
        let close = rest.starts_with("</");
        let name_start = if close { i + 2 } else { i + 1 };
        if name_start >= b.len() || !b[name_start].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let mut j = name_start;
        while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' && b[j] != b'/' {
            j += 1;
        }
        let name = s[name_start..j].to_ascii_lowercase();
        let mut quote = 0u8;
        while j < b.len() {
            let c = b[j];
            if quote != 0 {
                if c == quote {
                    quote = 0;
                }
            } else if c == b'"' || c == b'\'' {
                quote = c;
            } else if c == b'>' {
                break;
            }
            j += 1;
        }
        let tag_end = (j + 1).min(b.len());
        let self_closing = j > 0 && j < b.len() && b[j - 1] == b'/';
        let mut drop_tag = false;
        if close {
            if !uncounted(&name) {
                match dropped.get_mut(&name) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        drop_tag = true;
                    }
                    _ => depth = depth.saturating_sub(1),
                }
            }
        } else if !self_closing && !uncounted(&name) {
            if depth >= limit {
                *dropped.entry(name.clone()).or_insert(0) += 1;
                drop_tag = true;
            } else {
                depth += 1;
            }
        }
        if drop_tag {
            let o = out.get_or_insert_with(|| String::with_capacity(s.len()));
            o.push_str(&s[last..i]);
            o.push(' ');
            last = tag_end;
        }
        i = tag_end;
        // Raw text: skip to the matching end tag.
        if !close
            && !drop_tag
            && matches!(
                name.as_str(),
                "script"
                    | "style"
                    | "textarea"
                    | "title"
                    | "xmp"
                    | "iframe"
                    | "noembed"
                    | "noframes"
                    | "noscript"
            )
        {
            let lower_end = format!("</{name}");
            let mut k = i;
            loop {
                let Some(p) = s[k..].find("</").map(|e| k + e) else {
                    i = b.len();
                    break;
                };
                if b.len() >= p + lower_end.len()
                    && b[p..p + lower_end.len()].eq_ignore_ascii_case(lower_end.as_bytes())
                {
                    i = p;
                    break;
                }
                k = p + 2;
            }
        }
    }
    match out {
        None => Cow::Borrowed(s),
        Some(mut o) => {
            o.push_str(&s[last..]);
            Cow::Owned(o)
        }
    }
}

fn memchr_count(b: &[u8], c: u8) -> usize {
    b.iter().filter(|&&x| x == c).count()
}

/// Rewrites XML self-closing tags of non-void elements (`<a id="x"/>`,
/// `<title/>`) as start+end tags, so an HTML parser reads XHTML right.
pub(crate) fn xhtml_to_html(s: &str) -> String {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 64);
    let mut last = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        if s[i..].starts_with("<!--") {
            i = s[i..].find("-->").map(|e| i + e + 3).unwrap_or(b.len());
            continue;
        }
        if s[i..].starts_with("<![CDATA[") {
            // CDATA is text in XHTML: emit it escaped.
            let body_start = i + 9;
            let stop = s[body_start..]
                .find("]]>")
                .map(|e| body_start + e)
                .unwrap_or(b.len());
            out.push_str(&s[last..i]);
            for c in s[body_start..stop].chars() {
                match c {
                    '<' => out.push_str("&lt;"),
                    '&' => out.push_str("&amp;"),
                    c => out.push(c),
                }
            }
            i = (stop + 3).min(b.len());
            last = i;
            continue;
        }
        if i + 1 < b.len() && b[i + 1].is_ascii_alphabetic() {
            // tag name
            let name_start = i + 1;
            let mut j = name_start;
            while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' && b[j] != b'/' {
                j += 1;
            }
            let name = &s[name_start..j];
            // attributes, honouring quotes
            let mut quote = 0u8;
            while j < b.len() {
                let c = b[j];
                if quote != 0 {
                    if c == quote {
                        quote = 0;
                    }
                } else if c == b'"' || c == b'\'' {
                    quote = c;
                } else if c == b'>' {
                    break;
                }
                j += 1;
            }
            if j < b.len() && j > 0 && b[j - 1] == b'/' {
                let local = name.rsplit(':').next().unwrap_or(name).to_ascii_lowercase();
                if !VOID.contains(&local.as_str()) {
                    out.push_str(&s[last..j - 1]);
                    out.push_str("></");
                    out.push_str(name);
                    out.push('>');
                    last = j + 1;
                }
            }
            i = j + 1;
            continue;
        }
        i += 1;
    }
    out.push_str(&s[last.min(s.len())..]);
    out
}

// ---------------------------------------------------------------------------
// Metadata.

struct MetaTags {
    /// (lower-case key, content) in document order.
    tags: Vec<(String, String)>,
    title: Option<String>,
    html_lang: Option<String>,
    canonical: Option<String>,
    ld: LdMeta,
    blogger: bool,
    wp_post: bool,
}

#[derive(Default)]
struct LdMeta {
    kind: Option<String>,
    title: Option<String>,
    authors: Vec<String>,
    date: Option<String>,
    publisher: Option<String>,
    lang: Option<String>,
    url: Option<String>,
}

fn normalise_key(k: &str) -> String {
    let k = k.trim().to_ascii_lowercase();
    for p in ["dc:", "dcterms:"] {
        if let Some(rest) = k.strip_prefix(p) {
            return format!("{}.{}", &p[..p.len() - 1], rest);
        }
    }
    k
}

fn is_url(s: &str) -> bool {
    let l = s.trim_start().to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://") || l.starts_with("//")
}

impl MetaTags {
    fn collect(page: &Page) -> MetaTags {
        let mut tags = Vec::new();
        let mut title = None;
        let mut canonical = None;
        let mut ld_texts = Vec::new();
        let mut generator_blogger = false;
        let mut wp_post = false;
        for i in 0..page.len() {
            let Some(tag) = page.tag(i) else { continue };
            match tag {
                "meta" => {
                    let content = page.attr(i, "content").unwrap_or("");
                    for k in ["name", "property", "itemprop", "http-equiv"] {
                        if let Some(key) = page.attr(i, k)
                            && !key.trim().is_empty()
                        {
                            for key in key.split_whitespace() {
                                tags.push((normalise_key(key), content.to_string()));
                            }
                        }
                    }
                }
                "title" if title.is_none() => {
                    // the document title, not an SVG one
                    let in_svg = {
                        let mut a = page.parent[i];
                        let mut found = false;
                        while a != usize::MAX {
                            if page.tag(a) == Some("svg") {
                                found = true;
                                break;
                            }
                            a = page.parent[a];
                        }
                        found
                    };
                    if !in_svg {
                        title = non_empty(&page.text_of(i));
                    }
                }
                "link"
                    if canonical.is_none()
                        && page.attr(i, "rel").is_some_and(|r| {
                            r.split_whitespace()
                                .any(|w| w.eq_ignore_ascii_case("canonical"))
                        }) =>
                {
                    canonical = page.attr(i, "href").and_then(non_empty);
                }
                "script"
                    if page
                        .attr(i, "type")
                        .is_some_and(|t| t.to_ascii_lowercase().contains("ld+json")) =>
                {
                    ld_texts.push(page.text_of(i));
                }
                "article"
                    if page
                        .attr(i, "class")
                        .is_some_and(|c| c.split_whitespace().any(|w| w == "type-post")) =>
                {
                    wp_post = true;
                }
                _ => {}
            }
        }
        for (k, v) in &tags {
            if k == "generator" && v.to_ascii_lowercase().starts_with("blogger") {
                generator_blogger = true;
            }
        }
        let wordpress = tags
            .iter()
            .any(|(k, v)| k == "generator" && v.to_ascii_lowercase().starts_with("wordpress"));
        let html_lang = page.first_tag("html").and_then(|h| {
            page.attr(h, "lang")
                .or_else(|| page.attr(h, "xml:lang"))
                .and_then(non_empty)
        });
        MetaTags {
            tags,
            title,
            html_lang,
            canonical,
            ld: LdMeta::from_scripts(&ld_texts),
            blogger: generator_blogger,
            wp_post: wp_post && wordpress,
        }
    }

    fn get(&self, key: &str) -> Option<String> {
        self.tags
            .iter()
            .filter(|(k, _)| k == key)
            .find_map(|(_, v)| non_empty(v))
    }

    fn all(&self, key: &str) -> Vec<String> {
        self.tags
            .iter()
            .filter(|(k, _)| k == key)
            .filter_map(|(_, v)| non_empty(v))
            .collect()
    }

    fn first(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|k| self.get(k))
    }

    fn title_candidates(&self) -> Vec<String> {
        let mut v: Vec<String> = [
            "citation_title",
            "dc.title",
            "dcterms.title",
            "og:title",
            "twitter:title",
        ]
        .iter()
        .filter_map(|k| self.get(k))
        .collect();
        v.extend(self.title.clone());
        v.extend(self.ld.title.clone());
        v
    }

    #[allow(clippy::field_reassign_with_default)]
    fn to_meta(&self) -> Meta {
        let mut m = Meta::default();
        m.title = self
            .first(&["citation_title", "dc.title", "dcterms.title"])
            .or_else(|| self.ld.title.clone())
            .or_else(|| self.first(&["og:title", "twitter:title"]))
            .or_else(|| self.title.clone());

        m.authors = self.all("citation_author");
        if m.authors.is_empty() {
            m.authors = self
                .all("citation_authors")
                .iter()
                .flat_map(|s| s.split(';').filter_map(non_empty).collect::<Vec<_>>())
                .collect();
        }
        if m.authors.is_empty() {
            m.authors = self
                .tags
                .iter()
                .filter(|(k, _)| {
                    k == "dc.creator"
                        || k == "dcterms.creator"
                        || k.starts_with("dc.creator.")
                        || k.starts_with("dcterms.creator.")
                })
                .filter_map(|(_, v)| non_empty(v))
                .collect();
        }
        if m.authors.is_empty() {
            m.authors = self.ld.authors.clone();
        }
        if m.authors.is_empty() {
            m.authors = self
                .all("author")
                .into_iter()
                .chain(self.all("article:author"))
                .filter(|a| !is_url(a))
                .collect();
        }
        dedup(&mut m.authors);

        m.date = self
            .first(&[
                "citation_publication_date",
                "citation_date",
                "citation_online_date",
                "citation_cover_date",
                "dc.date.issued",
                "dcterms.issued",
                "dc.date",
                "dcterms.date",
            ])
            .or_else(|| self.ld.date.clone())
            .or_else(|| {
                self.first(&[
                    "article:published_time",
                    "og:published_time",
                    "datepublished",
                    "date",
                    "pubdate",
                    "publishdate",
                    "publish-date",
                ])
            });

        let source = self
            .first(&["dc.source", "dcterms.source"])
            .filter(|s| !is_url(s));
        m.container_title = self
            .first(&[
                "citation_journal_title",
                "citation_conference_title",
                "citation_book_title",
                "citation_inbook_title",
                "prism.publicationname",
            ])
            .or(source)
            .or_else(|| self.first(&["dcterms.ispartof", "dc.relation.ispartof"]))
            .or_else(|| self.get("og:site_name"));

        m.publisher = self
            .first(&[
                "citation_publisher",
                "dc.publisher",
                "dcterms.publisher",
                "citation_dissertation_institution",
                "citation_technical_report_institution",
            ])
            .or_else(|| self.ld.publisher.clone());

        let identifiers: Vec<String> = self
            .tags
            .iter()
            .filter(|(k, _)| k == "dc.identifier" || k == "dcterms.identifier")
            .filter_map(|(_, v)| non_empty(v))
            .collect();
        m.doi = self
            .first(&[
                "citation_doi",
                "dc.identifier.doi",
                "prism.doi",
                "bepress_citation_doi",
            ])
            .and_then(|d| bare_doi(&d))
            .or_else(|| identifiers.iter().find_map(|s| bare_doi(s)));
        m.isbn = self.first(&["citation_isbn", "prism.isbn"]).or_else(|| {
            identifiers.iter().find_map(|s| {
                let l = s.to_ascii_lowercase();
                l.strip_prefix("urn:isbn:")
                    .or_else(|| l.strip_prefix("isbn:"))
                    .map(|_| s[s.rfind(':').unwrap_or(0) + 1..].trim().to_string())
            })
        });
        m.url = self
            .first(&[
                "citation_abstract_html_url",
                "citation_public_url",
                "citation_fulltext_html_url",
                "dc.identifier.uri",
            ])
            .or_else(|| {
                identifiers
                    .iter()
                    .find(|s| is_url(s) && bare_doi(s).is_none())
                    .cloned()
            })
            .or_else(|| self.ld.url.clone())
            .or_else(|| self.get("og:url"))
            .or_else(|| self.canonical.clone());

        m.first_page = self.first(&["citation_firstpage", "prism.startingpage"]);
        m.last_page = self.first(&["citation_lastpage", "prism.endingpage"]);
        if m.first_page.is_none()
            && let Some(p) = self.get("dc.identifier.pagenumber")
        {
            let (a, b) = split_pages(&p);
            m.first_page = a;
            m.last_page = m.last_page.or(b);
        }
        m.volume = self.first(&["citation_volume", "dc.source.volume", "prism.volume"]);
        m.issue = self.first(&["citation_issue", "dc.source.issue", "prism.number"]);

        m.lang = self
            .first(&[
                "citation_language",
                "dc.language",
                "dcterms.language",
                "dc.language.iso",
            ])
            .or_else(|| self.ld.lang.clone())
            .or_else(|| self.html_lang.clone())
            .or_else(|| self.first(&["content-language", "og:locale"]));

        m.kind = self.kind();
        m
    }

    fn kind(&self) -> Option<String> {
        let k = |s: &str| Some(s.to_string());
        if self.get("citation_journal_title").is_some() {
            return k("article-journal");
        }
        if self.get("citation_conference_title").is_some() {
            return k("paper-conference");
        }
        if self.get("citation_dissertation_institution").is_some() {
            return k("thesis");
        }
        if self.get("citation_technical_report_institution").is_some() {
            return k("report");
        }
        if self
            .first(&["citation_inbook_title", "citation_book_title"])
            .is_some()
        {
            return k("chapter");
        }
        if self.get("citation_isbn").is_some() && self.get("citation_title").is_some() {
            return k("book");
        }
        if let Some(t) = self.first(&["dc.type", "dcterms.type"]) {
            let t = t.to_ascii_lowercase();
            if t.contains("journal") || t.contains("article") {
                return k("article-journal");
            }
            if t.contains("thesis") || t.contains("dissertation") {
                return k("thesis");
            }
            if t.contains("book") {
                return k("book");
            }
        }
        if self.ld.kind.is_some() {
            return self.ld.kind.clone();
        }
        if self.blogger || self.wp_post {
            return k("post-weblog");
        }
        match self
            .get("og:type")
            .map(|t| t.to_ascii_lowercase())
            .as_deref()
        {
            Some("book" | "books.book") => k("book"),
            Some("blog") => k("post-weblog"),
            Some("article" | "website" | "webpage") => k("webpage"),
            _ => None,
        }
    }
}

fn dedup(v: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    v.retain(|x| seen.insert(x.clone()));
}

impl LdMeta {
    fn from_scripts(texts: &[String]) -> LdMeta {
        use serde_json::Value;
        let mut objects: Vec<Value> = Vec::new();
        for t in texts {
            if t.len() > (1 << 20) {
                continue;
            }
            let Ok(v) = serde_json::from_str::<Value>(t.trim()) else {
                continue;
            };
            let mut queue = vec![v];
            while let Some(v) = queue.pop() {
                match v {
                    Value::Array(a) => queue.extend(a.into_iter().rev()),
                    Value::Object(mut o) => {
                        if let Some(g) = o.remove("@graph") {
                            queue.push(g);
                        }
                        objects.push(Value::Object(o));
                    }
                    _ => {}
                }
                if objects.len() > 500 {
                    break;
                }
            }
        }
        let types = |o: &Value| -> Vec<String> {
            match o.get("@type") {
                Some(Value::String(s)) => vec![s.clone()],
                Some(Value::Array(a)) => a
                    .iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect(),
                _ => vec![],
            }
        };
        let kind_of = |t: &str| -> Option<&'static str> {
            Some(match t {
                "ScholarlyArticle" | "MedicalScholarlyArticle" => "article-journal",
                "BlogPosting" | "LiveBlogPosting" | "Blog" => "post-weblog",
                "NewsArticle"
                | "ReportageNewsArticle"
                | "AnalysisNewsArticle"
                | "OpinionNewsArticle"
                | "BackgroundNewsArticle" => "article-newspaper",
                "Article" | "TechArticle" | "SocialMediaPosting" => "webpage",
                "Report" => "report",
                "Thesis" => "thesis",
                "Book" => "book",
                "Chapter" => "chapter",
                _ => return None,
            })
        };
        let by_id = |id: &str| {
            objects
                .iter()
                .find(|o| o.get("@id").and_then(Value::as_str) == Some(id))
        };
        let name_of = |v: &Value| -> Option<String> {
            match v {
                Value::String(s) => non_empty(s).filter(|s| !is_url(s)),
                Value::Object(o) => o
                    .get("name")
                    .and_then(Value::as_str)
                    .and_then(non_empty)
                    .or_else(|| {
                        let id = o.get("@id")?.as_str()?;
                        by_id(id)?.get("name")?.as_str().and_then(non_empty)
                    }),
                _ => None,
            }
        };
        let str_of = |v: Option<&Value>| -> Option<String> {
            match v? {
                Value::String(s) => non_empty(s),
                Value::Object(o) => o
                    .get("@id")
                    .or(o.get("url"))
                    .and_then(Value::as_str)
                    .and_then(non_empty),
                _ => None,
            }
        };
        let mut m = LdMeta::default();
        let primary = objects
            .iter()
            .find(|o| types(o).iter().any(|t| kind_of(t).is_some()));
        let Some(p) = primary else {
            if objects
                .iter()
                .any(|o| types(o).iter().any(|t| t == "WebPage"))
            {
                m.kind = Some("webpage".into());
            }
            return m;
        };
        m.kind = types(p).iter().find_map(|t| kind_of(t)).map(String::from);
        m.title = str_of(p.get("headline")).or_else(|| str_of(p.get("name")));
        m.authors = match p.get("author") {
            Some(Value::Array(a)) => a.iter().filter_map(name_of).collect(),
            Some(v) => name_of(v).into_iter().collect(),
            None => vec![],
        };
        m.date = str_of(p.get("datePublished")).or_else(|| str_of(p.get("dateCreated")));
        m.publisher = p.get("publisher").and_then(name_of);
        m.lang = match p.get("inLanguage") {
            Some(Value::String(s)) => non_empty(s),
            Some(Value::Object(o)) => o.get("name").and_then(Value::as_str).and_then(non_empty),
            _ => None,
        };
        m.url = str_of(p.get("url"))
            .or_else(|| str_of(p.get("mainEntityOfPage")))
            .filter(|u| is_url(u));
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xhtml_self_closing() {
        assert_eq!(
            xhtml_to_html(r#"<title/><p>a<br/><a id="x" title="a/>b"/>b</p><!-- <x/> -->"#),
            r#"<title></title><p>a<br/><a id="x" title="a/>b"></a>b</p><!-- <x/> -->"#
        );
    }

    #[test]
    fn simple_page() {
        let e = read_html("<html lang=id><title>T</title><body><h1>T</h1><p>Satu dua&nbsp;tiga.</p><script>var x=1;</script></body></html>").unwrap();
        assert_eq!(e.text, "Satu dua tiga.\n");
        assert_eq!(e.meta.lang.as_deref(), Some("id"));
        assert_eq!(e.meta.title.as_deref(), Some("T"));
    }

    #[test]
    fn nesting_cap() {
        let deep = format!("{}x{}", "<div>".repeat(5), "</div>".repeat(5));
        assert_eq!(
            cap_nesting(&deep, 3),
            format!("{}  x  {}", "<div>".repeat(3), "</div>".repeat(3))
        );
        let script = "<div><script>if (a<b) { x = '<div>'; }</script><div>y</div></div>";
        assert_eq!(cap_nesting(script, 2), script);
        assert_eq!(cap_nesting("<p><p><p>x", 1), "<p><p><p>x");
    }

    #[test]
    fn header_class_on_a_heading() {
        let e = read_html(
            "<body><article><h1 class=entry-header>Judul <b>tebal</b></h1><header>byline \
             <h2>Sub</h2></header><p>Isi artikel yang cukup panjang untuk dihitung sebagai paragraf.</p></article></body>",
        )
        .unwrap();
        assert_eq!(
            e.text,
            "# Judul tebal\n\n## Sub\n\nIsi artikel yang cukup panjang untuk dihitung sebagai paragraf.\n"
        );
    }

    #[test]
    fn not_html() {
        assert_eq!(read_html("just text"), Err(ReadError::NotHtml));
    }
}
