//! Operations on Python values, grouped by protocol.

pub mod arith;
pub mod attr;
pub mod call;
pub mod compare;
pub mod dictops;
pub mod format;
pub mod iter;
pub mod misc;
pub mod num;
pub mod repr;
pub mod seq;
