//! The content-stream interpreter: runs a page's drawing operators far enough
//! to know where each character lands, and collects the characters.

use super::font::Font;
use super::lexer::{Lexer, Token};
use super::objects::Objects;
use lopdf::{Dictionary, Object, ObjectId};
use std::collections::HashMap;
use std::rc::Rc;

/// A character placed on the page (device space, points, y up).
#[derive(Debug, Clone)]
pub struct Glyph {
    /// Baseline origin.
    pub x: f64,
    pub y: f64,
    /// Advance width of the glyph itself, along the baseline.
    pub w: f64,
    /// Font size as drawn (vertical scale).
    pub size: f64,
    /// Direction of the baseline: 0 → right, 1 → up, 2 → left, 3 → down.
    pub dir: u8,
    pub text: String,
}

/// Work left before interpretation stops (shared by all pages of a document).
#[derive(Debug, Clone)]
pub struct Budget {
    pub tokens: u64,
    pub glyphs: u64,
}

/// Tokens read from one page (with its forms) at most.
const PAGE_TOKENS: u64 = 20_000_000;
/// Forms drawn on one page at most, and how deeply they may nest.
const PAGE_FORMS: u32 = 5_000;
const FORM_DEPTH: usize = 12;
/// Characters kept from one page at most.
const PAGE_GLYPHS: usize = 2_000_000;

type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    size: f64,
    tc: f64,
    tw: f64,
    th: f64,
    tl: f64,
    rise: f64,
}

/// Interprets the pages of one document (fonts are cached across pages).
pub struct Interp<'a, 'b> {
    objs: &'b Objects<'a>,
    fonts: HashMap<ObjectId, Rc<Font>>,
    inline_fonts: HashMap<usize, Rc<Font>>,
    pub budget: Budget,
    /// Set when the document-wide budget ran out.
    pub exhausted: bool,
}

struct PageRun {
    glyphs: Vec<Glyph>,
    tokens_left: u64,
    forms_left: u32,
    form_stack: Vec<ObjectId>,
    /// Marked-content stack: whether each level is a pagination artifact.
    marked: Vec<bool>,
}

fn finite(v: f64) -> f64 {
    if v.is_finite() {
        v.clamp(-1e7, 1e7)
    } else {
        0.0
    }
}

impl<'a, 'b> Interp<'a, 'b> {
    pub fn new(objs: &'b Objects<'a>, budget: Budget) -> Self {
        Interp {
            objs,
            fonts: HashMap::new(),
            inline_fonts: HashMap::new(),
            budget,
            exhausted: false,
        }
    }

    /// The characters of one page.
    pub fn page(&mut self, content: &[u8], resources: Option<&'a Dictionary>) -> Vec<Glyph> {
        let mut run = PageRun {
            glyphs: Vec::new(),
            tokens_left: PAGE_TOKENS.min(self.budget.tokens),
            forms_left: PAGE_FORMS,
            form_stack: Vec::new(),
            marked: Vec::new(),
        };
        let start_tokens = run.tokens_left;
        let gs = GState {
            ctm: IDENTITY,
            font: None,
            size: 0.0,
            tc: 0.0,
            tw: 0.0,
            th: 1.0,
            tl: 0.0,
            rise: 0.0,
        };
        self.run(&mut run, content, resources, gs);
        let used = start_tokens - run.tokens_left;
        self.budget.tokens = self.budget.tokens.saturating_sub(used);
        self.budget.glyphs = self.budget.glyphs.saturating_sub(run.glyphs.len() as u64);
        if self.budget.tokens == 0 || self.budget.glyphs == 0 {
            self.exhausted = true;
        }
        run.glyphs
    }

    fn font(&mut self, resources: Option<&'a Dictionary>, name: &[u8]) -> Rc<Font> {
        let objs = self.objs;
        let entry = resources
            .and_then(|r| objs.dict(r.get(b"Font").ok()))
            .and_then(|fonts| fonts.get(name).ok());
        let Some(entry) = entry else {
            return Rc::new(Font::fallback());
        };
        if let Object::Reference(id) = entry {
            if let Some(f) = self.fonts.get(id) {
                return f.clone();
            }
            let f = Rc::new(match objs.dict(Some(entry)) {
                Some(d) => Font::load(objs, d),
                None => Font::fallback(),
            });
            if self.fonts.len() < 10_000 {
                self.fonts.insert(*id, f.clone());
            }
            return f;
        }
        // A font dictionary written inline: cached by its address, which is
        // stable while the document is borrowed.
        let Some(d) = objs.dict(Some(entry)) else {
            return Rc::new(Font::fallback());
        };
        let key = d as *const Dictionary as usize;
        if let Some(f) = self.inline_fonts.get(&key) {
            return f.clone();
        }
        let f = Rc::new(Font::load(objs, d));
        if self.inline_fonts.len() < 10_000 {
            self.inline_fonts.insert(key, f.clone());
        }
        f
    }

    fn run(
        &mut self,
        run: &mut PageRun,
        content: &[u8],
        resources: Option<&'a Dictionary>,
        mut gs: GState,
    ) {
        let mut lx = Lexer::new(content);
        let mut ops: Vec<Token> = Vec::new();
        let mut stack: Vec<GState> = Vec::new();
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        while let Some(tok) = lx.next_token() {
            if run.tokens_left == 0 {
                return;
            }
            run.tokens_left -= 1;
            let op = match tok {
                Token::Op(op) => op,
                other => {
                    if ops.len() >= 64 {
                        ops.remove(0);
                    }
                    ops.push(other);
                    continue;
                }
            };
            let n = |i: usize| ops.get(i).and_then(Token::num).map(finite);
            match op.as_slice() {
                b"q" if stack.len() < 256 => {
                    stack.push(gs.clone());
                }
                b"Q" => {
                    if let Some(g) = stack.pop() {
                        gs = g;
                    }
                }
                b"cm" if ops.len() >= 6 => {
                    let k = ops.len() - 6;
                    let m: Vec<f64> = (k..k + 6).filter_map(n).collect();
                    if m.len() == 6 {
                        gs.ctm = mul(&[m[0], m[1], m[2], m[3], m[4], m[5]], &gs.ctm);
                    }
                }
                b"BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                b"Tf" => {
                    if let (Some(Token::Name(name)), Some(size)) = (ops.first(), n(1)) {
                        gs.font = Some(self.font(resources, name));
                        gs.size = size;
                    }
                }
                b"Tc" => gs.tc = n(0).unwrap_or(0.0),
                b"Tw" => gs.tw = n(0).unwrap_or(0.0),
                b"Tz" => gs.th = n(0).unwrap_or(100.0) / 100.0,
                b"TL" => gs.tl = n(0).unwrap_or(0.0),
                b"Ts" => gs.rise = n(0).unwrap_or(0.0),
                b"Td" | b"TD" => {
                    if let (Some(tx), Some(ty)) = (n(0), n(1)) {
                        if op == b"TD" {
                            gs.tl = -ty;
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], &tlm);
                        tm = tlm;
                    }
                }
                b"Tm" => {
                    let m: Vec<f64> = (0..6).filter_map(n).collect();
                    if m.len() == 6 {
                        tlm = [m[0], m[1], m[2], m[3], m[4], m[5]];
                        tm = tlm;
                    }
                }
                b"T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &tlm);
                    tm = tlm;
                }
                b"Tj" | b"'" | b"\"" => {
                    if op == b"\"" {
                        gs.tw = n(0).unwrap_or(gs.tw);
                        gs.tc = n(1).unwrap_or(gs.tc);
                    }
                    if op != b"Tj" {
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &tlm);
                        tm = tlm;
                    }
                    if let Some(Token::Str(s)) = ops.last() {
                        let s = s.clone();
                        self.show(run, &gs, &mut tm, &s);
                    }
                }
                b"TJ" => {
                    if let Some(Token::Array(items)) = ops.last() {
                        let items = items.clone();
                        for it in items {
                            match it {
                                Token::Str(s) => self.show(run, &gs, &mut tm, &s),
                                Token::Num(v) => {
                                    let tx = -finite(v) / 1000.0 * gs.size * gs.th;
                                    tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                                }
                                _ => {}
                            }
                        }
                    }
                }
                b"BI" => {
                    // Skip the inline image's dictionary and data.
                    loop {
                        match lx.next_token() {
                            Some(Token::Op(o)) if o == b"ID" => {
                                lx.skip_inline_image();
                                break;
                            }
                            None => break,
                            _ => {}
                        }
                    }
                }
                b"BMC" | b"BDC" => {
                    let parent = run.marked.last().copied().unwrap_or(false);
                    let mut pagination = false;
                    if op == b"BDC"
                        && let (Some(Token::Name(tag)), Some(Token::Dict(props))) =
                            (ops.first(), ops.get(1))
                        && tag == b"Artifact"
                    {
                        pagination = props.iter().any(|(k, v)| {
                                    matches!((k.as_slice(), v), (b"Type", Token::Name(t)) if t == b"Pagination")
                                        || matches!((k.as_slice(), v), (b"Subtype", Token::Name(t)) if t == b"Header" || t == b"Footer")
                                });
                    }
                    if run.marked.len() < 1024 {
                        run.marked.push(parent || pagination);
                    }
                }
                b"EMC" => {
                    run.marked.pop();
                }
                b"Do" => {
                    if let Some(Token::Name(name)) = ops.last() {
                        let name = name.clone();
                        self.form(run, resources, &gs, &name);
                    }
                }
                _ => {}
            }
            ops.clear();
        }
    }

    fn form(
        &mut self,
        run: &mut PageRun,
        resources: Option<&'a Dictionary>,
        gs: &GState,
        name: &[u8],
    ) {
        let objs = self.objs;
        let Some(entry) = resources
            .and_then(|r| objs.dict(r.get(b"XObject").ok()))
            .and_then(|x| x.get(name).ok())
        else {
            return;
        };
        let Object::Reference(id) = entry else { return };
        let Some(stream) = objs.stream(entry) else {
            return;
        };
        if objs.name(stream.dict.get(b"Subtype").ok()).as_deref() != Some(b"Form") {
            return;
        }
        if run.form_stack.contains(id) || run.form_stack.len() >= FORM_DEPTH || run.forms_left == 0
        {
            return;
        }
        run.forms_left -= 1;
        let Some(data) = objs.stream_data(entry) else {
            return;
        };
        let mut inner = gs.clone();
        if let Some(m) = objs.array(stream.dict.get(b"Matrix").ok()) {
            let v: Vec<f64> = m
                .iter()
                .filter_map(|o| objs.number(o))
                .map(finite)
                .collect();
            if v.len() == 6 {
                inner.ctm = mul(&[v[0], v[1], v[2], v[3], v[4], v[5]], &gs.ctm);
            }
        }
        let res = objs.dict(stream.dict.get(b"Resources").ok()).or(resources);
        run.form_stack.push(*id);
        self.run(run, &data, res, inner);
        run.form_stack.pop();
    }

    fn show(&mut self, run: &mut PageRun, gs: &GState, tm: &mut Matrix, s: &[u8]) {
        let Some(font) = gs.font.clone() else { return };
        let skip = run.marked.last().copied().unwrap_or(false);
        for code in font.decode(s) {
            let m = mul(tm, &gs.ctm);
            let trm = mul(&[gs.size * gs.th, 0.0, 0.0, gs.size, 0.0, gs.rise], &m);
            let scale_x = m[0].hypot(m[1]);
            let adv =
                (code.width * gs.size + gs.tc + if code.word_space { gs.tw } else { 0.0 }) * gs.th;
            if !skip && !code.text.is_empty() && run.glyphs.len() < PAGE_GLYPHS {
                let (a, b) = (m[0], m[1]);
                let dir = if a.abs() >= b.abs() {
                    if a >= 0.0 { 0 } else { 2 }
                } else if b > 0.0 {
                    1
                } else {
                    3
                };
                run.glyphs.push(Glyph {
                    x: trm[4],
                    y: trm[5],
                    w: (code.width * gs.size * gs.th * scale_x).abs(),
                    size: trm[2].hypot(trm[3]),
                    dir,
                    text: code.text,
                });
            }
            *tm = mul(&[1.0, 0.0, 0.0, 1.0, adv, 0.0], tm);
        }
    }
}
