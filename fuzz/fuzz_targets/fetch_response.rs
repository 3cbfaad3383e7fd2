//! Fuzzes fetch's response handling without a network: raw HTTP/1.1
//! responses served by an in-memory transport to the real ureq client and
//! the real part transfer (`airlock::fuzzing::transfer_canned`), so ureq's
//! parser and body framing (Content-Length, chunked, close-delimited,
//! redirects) and airlock's judging, size, range and slice checks all run on
//! the fuzz bytes.
//!
//! Input: byte 0 = flags (bit 0: the part is an Inno slice `X-1.bin`, whose
//! header states its size; bit 1: resume an earlier partial part; bit 2: its
//! state records a total, the first 4 bytes of the earlier part, u32 LE;
//! bits 3-4: its validators: strong ETag, weak ETag + Last-Modified,
//! Last-Modified, none). Then parts cut at `%%PART%%`: the earlier part's
//! bytes when resuming, then one raw response per connection (at most 7). Up
//! to 3 passing failures are retried, without waiting.
//!
//! Checks:
//! - no panic, no hang, no unbounded allocation;
//! - a failed transfer never leaves a file under the part's name;
//! - a completed part is on disk with the size the transfer counted and the
//!   SHA-256 it computed while writing, its partial files gone, and resumed
//!   bytes equal to the earlier ones;
//! - the response that completed it (read by the fuzz side with httparse) is
//!   a 200 or a 206; a 206 starts at the byte the request asked for, its
//!   `Content-Range` end is the part's last byte and its total the part's
//!   size (declared and delivered agree); a 200's `Content-Length` is the
//!   part's size, and a 200 to a range request restarts the part.
#![no_main]

#[path = "common/mod.rs"]
mod common;

#[global_allocator]
static ALLOC: common::CappedAlloc = common::CappedAlloc;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::targets::fetch_response(data));
