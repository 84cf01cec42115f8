//! `idcard-linegen`: writes rendered digit (or serial) lines with ground truth.
//!
//! ```text
//! idcard-linegen --split train|val|holdout --mode mixed|clean|degraded --count N --seed S
//!                --out DIR [--format tif|png] [--chunk 100] [--script arabic|latin]
//!                [--split-file data/font-split.toml] [--recipe 2] [--list-fonts]
//! ```
//! `tif`: multi-page grey TIFF chunks with line box files, what `tesseract ... lstm.train`
//! reads. `png`: one RGB PNG a line plus `truth.tsv` (file, text, font), for evaluation.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use idcard_linegen::fonts::{self, Script, Split};
use idcard_linegen::{generate, generate_serial, Line, Mode};

struct Args {
    split: Split,
    mode: Mode,
    count: u64,
    seed: u64,
    out: PathBuf,
    tif: bool,
    chunk: u64,
    script: Script,
    split_file: PathBuf,
    list_fonts: bool,
    recipe: u32,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        split: Split::Train,
        mode: Mode::Mixed,
        count: 100,
        seed: 1,
        out: PathBuf::from("out/lines"),
        tif: false,
        chunk: 100,
        script: Script::Arabic,
        split_file: PathBuf::from("data/font-split.toml"),
        list_fonts: false,
        recipe: idcard_linegen::LATEST_RECIPE,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--list-fonts" {
            a.list_fonts = true;
            continue;
        }
        let v = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let bad = || format!("bad value for {flag}: {v}");
        match flag.as_str() {
            "--split" => a.split = Split::parse(&v).ok_or_else(bad)?,
            "--mode" => a.mode = Mode::parse(&v).ok_or_else(bad)?,
            "--count" => a.count = v.parse().map_err(|_| bad())?,
            "--seed" => a.seed = v.parse().map_err(|_| bad())?,
            "--out" => a.out = PathBuf::from(&v),
            "--format" => a.tif = v == "tif",
            "--chunk" => a.chunk = v.parse().map_err(|_| bad())?,
            "--script" => {
                a.script = match v.as_str() {
                    "arabic" => Script::Arabic,
                    "latin" => Script::Latin,
                    _ => return Err(bad()),
                }
            }
            "--split-file" => a.split_file = PathBuf::from(&v),
            "--recipe" => a.recipe = v.parse().map_err(|_| bad())?,
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    Ok(a)
}

fn grey(line: &Line) -> Vec<u8> {
    line.image
        .pixels()
        .map(|p| (0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32).round() as u8)
        .collect()
}

/// Box file lines in the form tesstrain's generate_line_box.py writes: every character boxed
/// with the whole line, then a tab marking the end of the line.
fn box_lines(text: &str, w: u32, h: u32, page: u64) -> String {
    let mut s = String::new();
    for ch in text.chars() {
        s.push_str(&format!("{ch} 0 0 {w} {h} {page}\n"));
    }
    s.push_str(&format!("\t 0 0 {w} {h} {page}\n"));
    s
}

fn write_tif_chunks(a: &Args, make: &dyn Fn(u64) -> Line) -> Result<(), String> {
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let mut labels = BufWriter::new(File::create(a.out.join("labels.txt")).map_err(|e| err(&e))?);
    let mut start = 0;
    while start < a.count {
        let end = (start + a.chunk).min(a.count);
        let stem = a.out.join(format!("chunk_{:05}", start / a.chunk));
        let file = BufWriter::new(File::create(stem.with_extension("tif")).map_err(|e| err(&e))?);
        let mut tif = tiff::encoder::TiffEncoder::new(file).map_err(|e| err(&e))?;
        let mut boxes = String::new();
        for i in start..end {
            let line = make(i);
            let (w, h) = line.image.dimensions();
            tif.write_image::<tiff::encoder::colortype::Gray8>(w, h, &grey(&line))
                .map_err(|e| err(&e))?;
            boxes.push_str(&box_lines(&line.text, w, h, i - start));
            writeln!(labels, "{}", line.text).map_err(|e| err(&e))?;
        }
        std::fs::write(stem.with_extension("box"), boxes).map_err(|e| err(&e))?;
        start = end;
    }
    Ok(())
}

fn write_pngs(a: &Args, make: &dyn Fn(u64) -> Line) -> Result<(), String> {
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let mut truth = BufWriter::new(File::create(a.out.join("truth.tsv")).map_err(|e| err(&e))?);
    for i in 0..a.count {
        let line = make(i);
        let name = format!("{i:05}.png");
        line.image.save(a.out.join(&name)).map_err(|e| err(&e))?;
        writeln!(truth, "{name}\t{}\t{}", line.text, line.font).map_err(|e| err(&e))?;
    }
    Ok(())
}

fn run(a: &Args) -> Result<(), String> {
    let faces = fonts::discover(Path::new(&a.split_file), a.script, a.split)?;
    if a.list_fonts {
        for f in &faces {
            println!("{}\t{}\t{}", f.family, f.style, f.path.display());
        }
        return Ok(());
    }
    std::fs::create_dir_all(&a.out).map_err(|e| e.to_string())?;
    let make = |i: u64| match a.script {
        Script::Arabic => generate(&faces, a.seed, i, a.mode, a.recipe),
        Script::Latin => generate_serial(&faces, a.seed, i, a.mode),
    };
    if a.tif {
        write_tif_chunks(a, &make)
    } else {
        write_pngs(a, &make)
    }
}

fn main() -> ExitCode {
    match parse_args().and_then(|a| run(&a)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("idcard-linegen: {e}");
            ExitCode::FAILURE
        }
    }
}
