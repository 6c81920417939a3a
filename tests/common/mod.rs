//! Helpers shared by the test files: driving the real binary in a
//! pseudo-terminal, reading a rendered TUI frame as text, and finding the
//! external programs some tests need.
// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

pub mod ooxml;
pub mod pty;
pub mod screen;
pub mod tools;
pub mod users;
