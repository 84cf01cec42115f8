//! What we know of the card's fields: digit conversions, the national ID's structure, the
//! governorates and the printed vocabularies.

pub mod crosscheck;
pub mod digits;
pub mod lexicon;
pub mod national_id;
pub mod parse;
pub mod vocabulary;
