//! Reads Egyptian national ID cards.
