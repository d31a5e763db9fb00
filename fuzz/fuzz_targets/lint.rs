//! Fuzz target: arbitrary bytes through the whole pipeline — parse (with the depth scan),
//! schema validation, playbook scoring, content rules and suppressions, the pointer →
//! line/column map, and rendering to Markdown and HTML. Any panic, hang or abort is a bug;
//! so is a rendered page that lets raw HTML through, and so is a slow input: run it with a
//! per-input time limit,
//! `cargo fuzz run lint corpus/lint seeds -- -max_total_time=600 -timeout=10`
//! (libFuzzer reports an input over 10 seconds as a timeout and saves it).
#![no_main]

use std::sync::LazyLock;

use handoffs::cli::RenderFormat;
use handoffs::document::parse;
use handoffs::lint::Linter;
use handoffs::render::shape::Shapes;
use handoffs::render::templates::Templates;
use handoffs::render::render_document;
use handoffs::repo::Workspace;
use libfuzzer_sys::fuzz_target;

struct Pipeline {
    linter: Linter,
    templates: Templates,
}

static PIPELINE: LazyLock<Pipeline> = LazyLock::new(|| {
    // A folder with nothing in it: the embedded schemas, playbooks and templates apply.
    let empty = std::env::temp_dir().join("handoffs-fuzz-empty-workspace");
    let _ = std::fs::create_dir_all(&empty);
    let workspace = Workspace::open(&empty).expect("workspace");
    let today = "2026-11-22".parse().expect("date");
    Pipeline {
        linter: Linter::new(&workspace, None, today).expect("linter"),
        templates: Templates::new(&empty).expect("templates"),
    }
});

fuzz_target!(|data: &[u8]| {
    let pipeline = &*PIPELINE;
    let report = pipeline.linter.evaluate("handoffs/fuzz.yaml", data);
    assert!(report.score <= 100);
    // YAML (and editors) break lines at LF, CR and CRLF: a file of lone CRs has lines too.
    let breaks = data.windows(2).filter(|w| w[0] == b'\r' && w[1] != b'\n').count()
        + usize::from(data.last() == Some(&b'\r'))
        + data.iter().filter(|&&b| b == b'\n').count();
    let lines = breaks + 1;
    for diagnostic in &report.diagnostics {
        assert!(diagnostic.line <= lines + 1, "{diagnostic:?}");
    }
    let Ok(document) = parse(data, 1 << 20) else {
        return;
    };
    let _ = document.positions.locate("/customer/company");
    let shapes = Shapes::new(pipeline.linter.schemas().documents());
    for format in [RenderFormat::Md, RenderFormat::Html] {
        let rendered = render_document(&pipeline.templates, &shapes, format, &document, &report)
            .expect("the embedded templates render any parsed handoff");
        if let Some(text) = rendered {
            if format == RenderFormat::Html {
                let lower = text.to_lowercase();
                assert!(!lower.contains("<script"), "raw <script> in the page");
                assert!(!lower.contains("onerror="), "raw onerror= in the page");
            }
        }
    }
});
