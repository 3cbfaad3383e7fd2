//! Serves a folder on 127.0.0.1 with the fetch tests' server (Range, ETag,
//! keep-alive), for `benches/fetch.sh`: prints the port, serves until its
//! standard input closes.
//!
//! ```text
//! cargo run --release --example loopback_server -- DIR
//! ```

#[path = "../tests/fetch_server/mod.rs"]
mod fetch_server;

fn main() {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: loopback_server DIR");
        std::process::exit(2);
    };
    let server = fetch_server::Server::http(std::path::Path::new(&dir));
    println!("{}", server.port);
    // Serve until the caller closes our standard input.
    let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
    drop(server);
}
