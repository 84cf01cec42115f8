//! `idcard-synth`: writes synthetic card images and `truth.jsonl` into a directory.

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Parser;
use idcard_synth::split::FontSplit;
use idcard_synth::{FontCatalog, Formats, Generator, Mode, SideChoice, Split};

/// Synthetic Egyptian national ID cards with known truth.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// Capture mode.
    #[arg(long, value_enum, required_unless_present_any = ["list_fonts", "print_font_files"])]
    mode: Option<Mode>,
    /// Number of images.
    #[arg(long, default_value_t = 100)]
    count: u64,
    /// Seed; same seed and arguments give the same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Font and background split.
    #[arg(long, value_enum, default_value_t = Split::Dev)]
    split: Split,
    /// Sides shown (ignored by `sheet`, which always shows both).
    #[arg(long, value_enum, default_value_t = SideChoice::Random)]
    side: SideChoice,
    /// Index of the first image (0-based), to extend a set or regenerate one image.
    #[arg(long, default_value_t = 0)]
    start: u64,
    /// Append to DIR/truth.jsonl instead of replacing it (to mix runs in one set).
    #[arg(long)]
    append: bool,
    /// Share of scans written as PNG.
    #[arg(long, default_value_t = 0.2)]
    png: f64,
    /// Share of scans written as a one-page PDF around the JPEG.
    #[arg(long, default_value_t = 0.1)]
    pdf: f64,
    /// Output directory (created if missing).
    #[arg(long, required_unless_present_any = ["list_fonts", "print_font_files"])]
    out: Option<PathBuf>,
    /// Print the faces each split may use, with their coverage, and exit.
    #[arg(long)]
    list_fonts: bool,
    /// Extra font directory to scan instead of the system ones.
    #[arg(long, conflicts_with = "font_list")]
    fonts: Vec<PathBuf>,
    /// Exactly the font files listed in FILE (one path per line), instead of the system's:
    /// the same seed then draws the same faces on any machine that has those files.
    #[arg(long, value_name = "FILE")]
    font_list: Option<PathBuf>,
    /// Print the path of every usable font file, one per line (a list for --font-list),
    /// and exit.
    #[arg(long)]
    print_font_files: bool,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let split_cfg = FontSplit::builtin();
    let catalog = if let Some(list) = &args.font_list {
        let files = FontCatalog::read_list(list)
            .with_context(|| format!("read font list {}", list.display()))?;
        FontCatalog::from_files(files, split_cfg)
    } else if args.fonts.is_empty() {
        FontCatalog::system(split_cfg)
    } else {
        FontCatalog::discover(&args.fonts, split_cfg)
    };
    if args.list_fonts {
        list_fonts(&catalog);
        return Ok(());
    }
    if args.print_font_files {
        for path in catalog.files() {
            println!("{}", path.display());
        }
        return Ok(());
    }
    let (Some(mode), Some(out)) = (args.mode, args.out) else {
        anyhow::bail!("--mode and --out are required");
    };
    fs::create_dir_all(&out).with_context(|| format!("create {}", out.display()))?;
    let generator = Generator {
        catalog: &catalog,
        mode,
        split: args.split,
        sides: args.side,
        seed: args.seed,
        formats: Formats {
            png: args.png,
            pdf: args.pdf,
        },
    };
    let truth_path = out.join("truth.jsonl");
    let mut truth = fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(args.append)
        .truncate(!args.append)
        .open(&truth_path)
        .with_context(|| format!("open {}", truth_path.display()))?;
    let t0 = Instant::now();
    for i in args.start..args.start + args.count {
        let s = generator.sample(i);
        fs::write(out.join(&s.file_name), &s.bytes)
            .with_context(|| format!("write {}", s.file_name))?;
        writeln!(truth, "{}", serde_json::to_string(&s.truth)?)?;
    }
    let secs = t0.elapsed().as_secs_f64();
    eprintln!(
        "wrote {} images in {:.1} s ({:.0} per minute)",
        args.count,
        secs,
        args.count as f64 * 60.0 / secs.max(1e-9)
    );
    Ok(())
}

fn list_fonts(cat: &FontCatalog) {
    for split in [Split::Dev, Split::Holdout] {
        let arabic = cat.arabic(split);
        let latin = cat.latin(split);
        println!("[{}] arabic faces: {}", split.name(), arabic.len());
        for i in arabic {
            let f = &cat.fonts[i];
            let digits = if f.indic_digits {
                "digits"
            } else {
                "no-digits"
            };
            let bold = if f.bold { "bold" } else { "faux-bold" };
            println!("  {} {digits} {bold} {}", f.label(), f.path.display());
        }
        println!("[{}] latin faces: {}", split.name(), latin.len());
        for i in latin {
            let f = &cat.fonts[i];
            println!("  {} {}", f.label(), f.path.display());
        }
    }
}
