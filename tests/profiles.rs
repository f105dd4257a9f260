//! Profiles: a config file of named client options, against a real `apicli serve`.

mod common;

use std::{os::unix::fs::PermissionsExt as _, path::Path, process::Output};

use common::{Server, apicli, assert_exit, output_of, stderr, stdout};

/// Runs `apicli ARGS…` with `config` as its config file.
fn with_config(config: &Path, args: &[&str]) -> Output {
    output_of(apicli().env("APICLI_CONFIG", config).args(args))
}

/// Writes the config file, readable by others but writable only by its owner.
fn write_config(dir: &Path, text: &str) -> std::path::PathBuf {
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    path
}

#[test]
fn a_profile_fills_in_what_the_command_line_leaves_out() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("token"), "s3cret\n").unwrap();
    let token = dir.path().join("token");
    let server = Server::start(&["-v", "--token-file", token.to_str().unwrap()]);
    let config = write_config(
        dir.path(),
        &format!(
            r#"default = "local"

[profiles.local]
addr = "{}"
token-file = "token"
headers = ["x-env: local"]
output = "json"

[profiles.nowhere]
addr = "127.0.0.1:1"
"#,
            server.url()
        ),
    );

    // The default profile: its address, its token (a path relative to the file) and output.
    let output = with_config(&config, &["hello", "x"]);
    assert_exit(&output, 0);
    assert_eq!(stdout(&output), "{\"message\":\"Hello x!\"}\n");
    // Headers from the profile and from -H add up.
    let output = with_config(&config, &["hello", "y", "-H", "x-run: 7"]);
    assert_exit(&output, 0);
    let log = server.log();
    let line = log
        .lines()
        .rfind(|l| l.contains("x-run"))
        .expect("metadata logged");
    assert!(line.contains("x-env") && line.contains("local"), "{line}");

    // A flag beats the profile, and so does the environment.
    let output = with_config(&config, &["hello", "x", "-o", "table"]);
    assert_eq!(stdout(&output), "message\nHello x!\n");
    let output = output_of(
        apicli()
            .env("APICLI_CONFIG", &config)
            .env("APICLI_ADDR", server.url())
            .args(["--profile", "nowhere", "hello", "x"]),
    );
    assert_exit(&output, 80); // the address came from the environment; no token in "nowhere"
    let output = with_config(
        &config,
        &[
            "--profile",
            "nowhere",
            "hello",
            "x",
            "--addr",
            &server.url(),
        ],
    );
    assert_exit(&output, 80);

    // -v names the profile.
    let output = with_config(&config, &["hello", "x", "-v"]);
    assert_exit(&output, 0);
    assert!(
        stderr(&output).starts_with(&format!(
            "apicli: profile local (from {})\n",
            config.display()
        )),
        "{}",
        stderr(&output)
    );
}

#[test]
fn profiles_lists_them_and_shows_one_with_secrets_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        r#"default = "staging"

[profiles.local]
addr = "127.0.0.1:50051"

[profiles.staging]
addr = "https://staging.example:443"
ca-cert = "certs/ca.pem"
headers = ["x-env: staging", "Authorization: Bearer abc123"]
"#,
    );
    let output = with_config(&config, &["profiles"]);
    assert_exit(&output, 0);
    assert_eq!(stdout(&output), "local\nstaging (default)\n");

    let output = with_config(&config, &["profiles", "show", "staging"]);
    assert_exit(&output, 0);
    let folder = dir.path().display();
    assert_eq!(
        stdout(&output),
        format!(
            "# {}\n[profiles.staging]\naddr = \"https://staging.example:443\"\n\
             ca-cert = \"{folder}/certs/ca.pem\"\n\
             headers = [\"x-env: staging\", \"Authorization: [redacted]\"]\n",
            config.display()
        )
    );
}

#[test]
fn bad_profiles_and_files_exit_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "[profiles.local]\nadr = \"x\"\n");
    let output = with_config(&config, &["hello", "x"]);
    assert_exit(&output, 2);
    assert_eq!(
        stderr(&output),
        format!(
            "apicli: error: {}:2:1: unknown key 'adr'; did you mean 'addr'?\n",
            config.display()
        )
    );

    let config = write_config(dir.path(), "[profiles.local]\naddr = \n");
    let output = with_config(&config, &["hello", "x"]);
    assert_exit(&output, 2);
    assert!(
        stderr(&output).starts_with(&format!("apicli: error: {}:2:", config.display())),
        "{}",
        stderr(&output)
    );

    let config = write_config(
        dir.path(),
        "[profiles.local]\naddr = \"127.0.0.1:1\"\n[profiles.prod]\n",
    );
    let output = with_config(&config, &["--profile", "staging", "hello", "x"]);
    assert_exit(&output, 2);
    assert_eq!(
        stderr(&output),
        format!(
            "apicli: error: no profile 'staging' in {}; the profiles are: local, prod\n",
            config.display()
        )
    );

    // Others could point it at their own keys and tokens.
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o666)).unwrap();
    let output = with_config(&config, &["--profile", "local", "hello", "x"]);
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("can be changed by other users (mode 666)"),
        "{}",
        stderr(&output)
    );
}
