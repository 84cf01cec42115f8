//! End-to-end speed of the core: one 1280x960 phone photo on one engine, and a batch of
//! cards through engine pools of growing size (cards per second should grow with it).
//!
//! `OMP_THREAD_LIMIT=1 cargo bench --bench recognize`

use std::{path::PathBuf, sync::Arc, time::Duration};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use idcard_ocr::core::{
    self,
    ocr::{Engine, EnginePool, ModelPaths},
    ImageLimits,
};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(root().join("tests/fixtures/cards").join(name)).expect("fixture exists")
}

fn paths() -> ModelPaths {
    let mut paths = ModelPaths::debian_defaults(&root());
    if let Some(path) = std::env::var_os("IDCARD_DIGITS_MODEL") {
        paths.digits_model = path.into();
    }
    paths
}

fn one_photo(c: &mut Criterion) {
    let mut engine = Engine::new(&paths()).expect("models load");
    // A generated 1280x960 phone photo of a front (benches/data/README.md).
    let photo =
        std::fs::read(root().join("benches/data/photo-1280x960-front.jpg")).expect("bench image");
    let limits = ImageLimits::default();
    c.bench_function("recognize 1280x960 photo, 1 engine", |b| {
        b.iter(|| core::recognize(&mut engine, &photo, &limits).expect("the card is read"))
    });
}

fn one_id_line(c: &mut Criterion) {
    let reader =
        idcard_ocr::core::glyphs::DigitReader::load(root().join("models/idcard_glyphs.bin"))
            .expect("model");
    // A committed held-out ID line (tests/fixtures/glyph-lines/truth.tsv: clean-00).
    let line = image::open(root().join("tests/fixtures/glyph-lines/clean-00.png"))
        .expect("fixture")
        .into_luma8();
    c.bench_function("read one ID line (digit reader)", |b| {
        b.iter(|| reader.read_main_run(&line, (42, 53, 245, 30)))
    });
}

fn pool_throughput(c: &mut Criterion) {
    let cards: Arc<Vec<Vec<u8>>> = Arc::new(
        [
            "scan-0001.jpg",
            "scan-0003.jpg",
            "photo-0001.jpg",
            "photo-0003.jpg",
        ]
        .iter()
        .map(|name| fixture(name))
        .collect(),
    );
    let mut group = c.benchmark_group("pool throughput");
    group.throughput(Throughput::Elements(cards.len() as u64));
    for engines in [1, 2] {
        let pool = EnginePool::start(&paths(), engines).expect("models load");
        group.bench_with_input(BenchmarkId::from_parameter(engines), &engines, |b, _| {
            b.iter(|| {
                let (tx, rx) = std::sync::mpsc::channel();
                for index in 0..cards.len() {
                    let (tx, cards) = (tx.clone(), Arc::clone(&cards));
                    pool.execute(move |engine, _| {
                        let _ = tx.send(
                            core::recognize(engine, &cards[index], &ImageLimits::default()).is_ok(),
                        );
                    })
                    .expect("pool runs");
                }
                drop(tx);
                rx.iter().count()
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(20));
    targets = one_photo, one_id_line, pool_throughput
}
criterion_main!(benches);
