use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(apicli::run(std::env::args_os()))
}
