//! Trains and evaluates the digit-glyph model of `idcard_ocr::core::glyphs`.
//!
//! ```text
//! cargo run --release --example train_glyphs -- train      # writes models/idcard_glyphs.bin
//! cargo run --release --example train_glyphs -- eval       # held-out fonts only
//! cargo run --release --example train_glyphs -- fixtures   # tests/fixtures/glyph-lines/
//! ```
//!
//! Fonts come from the card generator's catalogue, which applies data/font-split.toml:
//! training uses development families only; evaluation and fixtures use held-out families
//! only. Everything is seeded, so a run is reproducible on the same installed fonts.

mod render;
mod train;

use std::path::PathBuf;
use std::time::Instant;

use clap::{Parser, Subcommand};
use idcard_ocr::core::glyphs::classify::{features, CLASSES};
use idcard_ocr::core::glyphs::{segment, DigitReader};
use idcard_synth::fonts::{Font, FontCatalog};
use idcard_synth::split::{FontSplit, Split};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use render::{random_date, random_id, random_mix, render, Style};
use train::Samples;

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Render development-font lines, segment them, train, write the model.
    Train {
        #[arg(long, default_value = "models/idcard_glyphs.bin")]
        out: PathBuf,
        #[arg(long, default_value_t = 12000)]
        lines: usize,
        #[arg(long, default_value_t = 128)]
        hidden: usize,
        #[arg(long, default_value_t = 8)]
        epochs: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Read held-out-font lines and report line exact match, character error and time.
    Eval {
        #[arg(long, default_value = "models/idcard_glyphs.bin")]
        model: PathBuf,
        /// Lines per kind (ID, date) per condition.
        #[arg(long, default_value_t = 600)]
        lines: usize,
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Print every misread line.
        #[arg(long)]
        verbose: bool,
        /// Write misread lines, with the segmenter's boxes, as PNGs here.
        #[arg(long)]
        dump: Option<PathBuf>,
        /// Read development-font lines instead (for tuning: held-out fonts must not be
        /// used to tune the pipeline).
        #[arg(long)]
        dev: bool,
    },
    /// Read the digit fields of the generated card fixtures (tests/fixtures/cards) the way
    /// the reader would: warp by the true corners, find each line near its zone, read it.
    Cards {
        #[arg(long, default_value = "models/idcard_glyphs.bin")]
        model: PathBuf,
        #[arg(long, default_value = "tests/fixtures/cards")]
        dir: PathBuf,
        /// Write each missed field's search rectangle (with a margin) as a PNG here.
        #[arg(long)]
        dump: Option<PathBuf>,
    },
    /// Write a few held-out-font lines and their truth for the model test.
    Fixtures {
        #[arg(long, default_value = "tests/fixtures/glyph-lines")]
        out: PathBuf,
        #[arg(long, default_value_t = 11)]
        seed: u64,
    },
}

/// Faces with all ten Arabic-Indic digits (and '/', when `slash`) on one side of the split.
fn faces(cat: &FontCatalog, split: Split, slash: bool) -> Vec<&Font> {
    cat.arabic(split)
        .into_iter()
        .map(|i| &cat.fonts[i])
        .filter(|f| f.indic_digits && (f.slash || !slash))
        .collect()
}

fn main() {
    let cli = Cli::parse();
    let cat = FontCatalog::system(FontSplit::builtin());
    match cli.cmd {
        Cmd::Train {
            out,
            lines,
            hidden,
            epochs,
            seed,
        } => run_train(&cat, &out, lines, hidden, epochs, seed),
        Cmd::Eval {
            model,
            lines,
            seed,
            verbose,
            dump,
            dev,
        } => {
            let split = if dev { Split::Dev } else { Split::Holdout };
            run_eval(&cat, &model, split, lines, seed, verbose, dump.as_deref())
        }
        Cmd::Fixtures { out, seed } => run_fixtures(&cat, &out, seed),
        Cmd::Cards { model, dir, dump } => run_cards(&model, &dir, dump.as_deref()),
    }
}

fn class_of(c: char) -> Option<u8> {
    CLASSES.iter().position(|&k| k == c).map(|i| i as u8)
}

fn run_train(
    cat: &FontCatalog,
    out: &PathBuf,
    lines: usize,
    hidden: usize,
    epochs: usize,
    seed: u64,
) {
    let t0 = Instant::now();
    let fonts = faces(cat, Split::Dev, true);
    assert!(
        !fonts.is_empty(),
        "no development font has the digits and '/'"
    );
    eprintln!("training fonts ({}):", fonts.len());
    for f in &fonts {
        // The card's zero is a small diamond about half a digit high: show how each face's
        // zero compares, so its look is known to be covered.
        let height = |c: char| {
            let b = f
                .face
                .glyph_index(c)
                .and_then(|g| f.face.glyph_bounding_box(g));
            b.map(|b| (b.y_max - b.y_min) as f32).unwrap_or(0.0)
        };
        eprintln!(
            "  {:<32} zero/two height {:.2}{}",
            f.label(),
            height('٠') / height('٢').max(1.0),
            if f.bold { ", bold" } else { "" }
        );
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut train_set, mut val_set) = (Samples::default(), Samples::default());
    let (mut used, mut mismatched) = (0usize, 0usize);
    for n in 0..lines {
        let font = fonts[rng.gen_range(0..fonts.len())];
        let text = match rng.gen_range(0..10) {
            0..=3 => random_id(&mut rng),
            4..=6 => random_date(&mut rng),
            _ => random_mix(&mut rng),
        };
        // Small lines are the hard ones (dates under the photo): sample them more often.
        let line_px = 16.0 + 48.0 * rng.gen::<f32>().powf(1.6);
        let style = Style::random(&mut rng, line_px);
        let Some(line) = render(font, &text, &style, &mut rng) else {
            continue;
        };
        let seg = segment(&line.image, line.rect);
        let truth: Vec<char> = text.chars().collect();
        // Only lines the segmenter cut into exactly one piece per character can be
        // labelled; the rest are counted, as the segmenter's own error rate.
        if seg.glyphs.len() != truth.len() {
            mismatched += 1;
            continue;
        }
        used += 1;
        let set = if n % 20 == 0 {
            &mut val_set
        } else {
            &mut train_set
        };
        for (i, &c) in truth.iter().enumerate() {
            if let Some(y) = class_of(c) {
                set.push(&features(&seg, i), y);
            }
        }
    }
    eprintln!(
        "rendered {lines} lines in {:.1}s: {used} segmented one-to-one, {mismatched} ({:.1} %) not; {} training glyphs",
        t0.elapsed().as_secs_f32(),
        100.0 * mismatched as f32 / lines as f32,
        train_set.len()
    );
    let mut m = train::init(hidden, &mut rng);
    train::sgd(&mut m, &train_set, epochs, 0.01, &mut rng);
    eprintln!(
        "glyph accuracy: training {:.4}, validation (dev fonts) {:.4}",
        train::accuracy(&m, &train_set),
        train::accuracy(&m, &val_set)
    );
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).expect("create the model directory");
    }
    let file = std::fs::File::create(out).expect("create the model file");
    m.write_to(std::io::BufWriter::new(file))
        .expect("write the model file");
    eprintln!(
        "wrote {} in {:.1}s total",
        out.display(),
        t0.elapsed().as_secs_f32()
    );
}

/// One evaluation condition.
struct Condition {
    name: &'static str,
    line_px: (f32, f32),
    degrade: fn(&mut Style),
}

fn conditions() -> [Condition; 3] {
    [
        Condition {
            name: "clean, lines 24-40 px",
            line_px: (24.0, 40.0),
            degrade: |_| {},
        },
        Condition {
            name: "degraded (blur 1, JPEG 50), lines 18-24 px",
            line_px: (18.0, 24.0),
            degrade: |s| {
                s.blur = 1.0;
                s.jpeg = Some(50);
            },
        },
        Condition {
            name: "extra: degraded + faint pattern + low contrast, lines 18-24 px",
            line_px: (18.0, 24.0),
            degrade: |s| {
                s.blur = 1.0;
                s.jpeg = Some(50);
                s.pattern = true;
                s.paper = 200;
                s.ink = 110;
            },
        },
    ]
}

/// A held-out line in condition `c`: the digits take 70 % of the line height.
fn eval_style<R: Rng>(c: &Condition, rng: &mut R) -> Style {
    let line_px = rng.gen_range(c.line_px.0..=c.line_px.1);
    let mut s = Style::clean(line_px * 0.7);
    s.pad_v = (0.21, 0.21);
    (c.degrade)(&mut s);
    s
}

fn run_eval(
    cat: &FontCatalog,
    model: &PathBuf,
    split: Split,
    lines: usize,
    seed: u64,
    verbose: bool,
    dump: Option<&std::path::Path>,
) {
    let mut dumped = 0;
    let reader = DigitReader::load(model).expect("load the glyph model");
    let id_fonts = faces(cat, split, false);
    let date_fonts = faces(cat, split, true);
    eprintln!(
        "{} fonts: IDs {:?}; dates {:?}",
        split.name(),
        id_fonts.iter().map(|f| f.label()).collect::<Vec<_>>(),
        date_fonts.iter().map(|f| f.label()).collect::<Vec<_>>()
    );
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for c in conditions() {
        println!("== {}", c.name);
        for (kind, fonts) in [("ID", &id_fonts), ("date", &date_fonts)] {
            if fonts.is_empty() {
                println!("  {kind}: no held-out font");
                continue;
            }
            let (mut exact, mut n, mut errs, mut chars) = (0usize, 0usize, 0usize, 0usize);
            let mut times = Vec::new();
            let mut per_font = vec![(0usize, 0usize); fonts.len()];
            for i in 0..lines {
                let fi = i % fonts.len();
                let text = if kind == "ID" {
                    random_id(&mut rng)
                } else {
                    random_date(&mut rng)
                };
                let style = eval_style(&c, &mut rng);
                let Some(line) = render(fonts[fi], &text, &style, &mut rng) else {
                    continue;
                };
                let t = Instant::now();
                let got = reader.read_line(&line.image, line.rect);
                times.push(t.elapsed().as_secs_f64() * 1e3);
                n += 1;
                per_font[fi].1 += 1;
                let d = strsim::levenshtein(&got.text, &text);
                errs += d;
                chars += text.chars().count();
                if d == 0 {
                    exact += 1;
                    per_font[fi].0 += 1;
                } else if verbose {
                    if let Some(dir) = dump.filter(|_| dumped < 40) {
                        dump_line(dir, dumped, &line);
                        dumped += 1;
                    }
                    println!(
                        "    {}: {text} read {} ({:.2})",
                        fonts[fi].label(),
                        got.text,
                        got.confidence
                    );
                }
            }
            times.sort_by(|a, b| a.total_cmp(b));
            let q = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
            println!(
                "  {kind}: {n} lines, exact {:.2} %, CER {:.3} %, ms/line min {:.2} median {:.2} p90 {:.2}",
                100.0 * exact as f64 / n as f64,
                100.0 * errs as f64 / chars as f64,
                q(0.0),
                q(0.5),
                q(0.9)
            );
            for (f, (ok, all)) in fonts.iter().zip(&per_font) {
                println!(
                    "    {:<36} {:.2} % exact ({ok}/{all})",
                    f.label(),
                    100.0 * *ok as f64 / (*all).max(1) as f64
                );
            }
        }
    }
}

/// The line crop in colour, each glyph box outlined, for looking at segmentation errors.
fn dump_line(dir: &std::path::Path, n: usize, line: &render::Line) {
    std::fs::create_dir_all(dir).ok();
    let seg = segment(&line.image, line.rect);
    let (ox, oy) = seg.origin;
    let mut rgb = image::RgbImage::new(seg.width, seg.height);
    for (x, y, p) in rgb.enumerate_pixels_mut() {
        let v = line.image.get_pixel(ox + x, oy + y).0[0];
        *p = image::Rgb([v, v, v]);
    }
    for (i, g) in seg.glyphs.iter().enumerate() {
        let c = if i % 2 == 0 {
            [255, 0, 0]
        } else {
            [0, 160, 255]
        };
        for x in g.left..g.right() {
            rgb.put_pixel(x, g.top, image::Rgb(c));
            rgb.put_pixel(x, g.bottom() - 1, image::Rgb(c));
        }
        for y in g.top..g.bottom() {
            rgb.put_pixel(g.left, y, image::Rgb(c));
            rgb.put_pixel(g.right() - 1, y, image::Rgb(c));
        }
    }
    let big = image::imageops::resize(
        &rgb,
        seg.width * 3,
        seg.height * 3,
        image::imageops::FilterType::Nearest,
    );
    big.save(dir.join(format!("miss-{n:02}.png"))).ok();
}

fn run_fixtures(cat: &FontCatalog, out: &PathBuf, seed: u64) {
    std::fs::create_dir_all(out).expect("create the fixture directory");
    let id_fonts = faces(cat, Split::Holdout, false);
    let date_fonts = faces(cat, Split::Holdout, true);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut truth = String::from(
        "# file\tleft\ttop\twidth\theight\ttext (held-out fonts; written by train_glyphs fixtures)\n",
    );
    let conds = conditions();
    let mut k = 0;
    for (ci, c) in conds.iter().take(2).enumerate() {
        for i in 0..8 {
            let (fonts, text) = if i % 2 == 0 {
                (&id_fonts, random_id(&mut rng))
            } else {
                (&date_fonts, random_date(&mut rng))
            };
            let font = fonts[(i / 2) % fonts.len()];
            let style = eval_style(c, &mut rng);
            let Some(line) = render(font, &text, &style, &mut rng) else {
                continue;
            };
            let name = format!("{}-{k:02}.png", ["clean", "degraded"][ci]);
            k += 1;
            line.image.save(out.join(&name)).expect("write a fixture");
            let (l, t, w, h) = line.rect;
            truth.push_str(&format!("{name}\t{l}\t{t}\t{w}\t{h}\t{text}\n"));
        }
    }
    std::fs::write(out.join("truth.tsv"), truth).expect("write the truth file");
    eprintln!("wrote {k} fixtures to {}", out.display());
}

fn run_cards(model: &PathBuf, dir: &std::path::Path, dump: Option<&std::path::Path>) {
    use idcard_ocr::core::{layout, lines::InkMap, locate, reader, reading::Point};
    let reader_model = DigitReader::load(model).expect("load the glyph model");
    let truth = std::fs::read_to_string(dir.join("truth.jsonl")).expect("read truth.jsonl");
    let (mut n, mut exact, mut exact_run) = (0usize, 0usize, 0usize);
    for line in truth.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a truth line");
        let file = v["image"].as_str().unwrap_or_default();
        let Ok(img) = image::open(dir.join(file)) else {
            continue; // PDFs: the decoder is the reader's business
        };
        let gray = img.to_luma8();
        for card in v["cards"].as_array().into_iter().flatten() {
            let c = &card["corners"];
            let p = |i: usize| Point {
                x: c[i][0].as_f64().unwrap_or(0.0) as f32,
                y: c[i][1].as_f64().unwrap_or(0.0) as f32,
            };
            let quad = locate::Quad {
                corners: [p(0), p(1), p(2), p(3)],
                found: true,
            };
            let upright = locate::warp_card(&gray, &quad, reader::CARD_WIDTH, reader::CARD_HEIGHT);
            let ink = InkMap::new(&upright);
            let info = &card["card_info"];
            let front = card["side"].as_str() == Some("front");
            let specs = if front { layout::FRONT } else { layout::BACK };
            for spec in specs.iter().filter(|s| s.whitelist == Some("٠١٢٣٤٥٦٧٨٩/")) {
                let want = match spec.name {
                    "id_number" => render::to_indic(info["id_number"].as_str().unwrap_or("")),
                    "birthday" => info["birthday_arabic"].as_str().unwrap_or("").to_string(),
                    "issue_date" => info["issue_date_arabic"].as_str().unwrap_or("").to_string(),
                    "expiry_date" => info["expiry_date_arabic"]
                        .as_str()
                        .unwrap_or("")
                        .to_string(),
                    _ => continue,
                };
                if want.is_empty() {
                    continue;
                }
                let rect = ink.find_line(&spec.zone);
                let got = reader_model.read_line(&upright, rect);
                n += 1;
                let ok = got.text == want;
                exact += ok as usize;
                let run = reader_model.read_main_run(&upright, rect);
                if let (Some(d), false) = (dump, run.text == want) {
                    std::fs::create_dir_all(d).ok();
                    let (l, t, w, h) = rect;
                    let m = 20;
                    let (x0, y0) = ((l - m).max(0) as u32, (t - m).max(0) as u32);
                    let crop = image::imageops::crop_imm(
                        &upright,
                        x0,
                        y0,
                        (w + 2 * m) as u32,
                        (h + 2 * m) as u32,
                    )
                    .to_image();
                    let name = format!("{}-{}.png", file.trim_end_matches(".jpg"), spec.name);
                    crop.save(d.join(name)).ok();
                }
                exact_run += (run.text == want) as usize;
                println!(
                    "{file} {:<12} {} {want} read {} ({:.2}), main run {}",
                    spec.name,
                    if ok { "ok  " } else { "MISS" },
                    got.text,
                    got.confidence,
                    run.text
                );
            }
        }
    }
    println!("{exact}/{n} digit fields read exactly; {exact_run}/{n} by the main run");
}
