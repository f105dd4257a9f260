use super::*;

fn render(text: &str, n: u64) -> String {
    let mut out = String::new();
    Template::parse(text)
        .unwrap()
        .render(n, &mut Random::new(1), &mut out);
    out
}

#[test]
fn placeholders_are_filled_in() {
    assert_eq!(
        render(r#"{"name":"user {{n}}"}"#, 42),
        r#"{"name":"user 42"}"#
    );
    assert_eq!(render("{{ n }}-{{n}}", 7), "7-7");
    let uuid = render("{{uuid}}", 0);
    let parsed = uuid::Uuid::parse_str(&uuid).unwrap();
    assert_eq!(parsed.get_version_num(), 4);
    assert_ne!(render("{{uuid}}", 0), render("{{uuid}}", 0));
    for _ in 0..200 {
        let value: i64 = render("{{rand -3 3}}", 0).parse().unwrap();
        assert!((-3..=3).contains(&value), "{value}");
    }
    assert_eq!(render("{{rand 5 5}}", 0), "5");
    let text = r#"{"a":{"b":1}}"#;
    assert_eq!(render(text, 0), text, "'}}' alone is not a placeholder");
    assert!(Template::parse(text).unwrap().is_constant());
    assert!(!Template::parse("{{n}}").unwrap().is_constant());
}

#[test]
fn random_covers_the_range() {
    let mut random = Random::new(3);
    let mut seen = [false; 5];
    for _ in 0..1000 {
        let value = random.between(10, 14);
        seen[(value - 10) as usize] = true;
    }
    assert_eq!(seen, [true; 5]);
    let full = random.between(i64::MIN, i64::MAX);
    let _ = full;
    assert_eq!(random.between(i64::MAX, i64::MAX), i64::MAX);
}

#[test]
fn bad_placeholders_say_why_in_one_line() {
    for (text, why) in [
        ("{{rand 5}}", "{{rand A B}}"),
        ("{{rand 5 1}}", "A must not be more than B"),
        ("{{rand a 1}}", "'a' is not a whole number"),
        ("{{nn}}", "the placeholders are"),
        ("{{}}", "the placeholders are"),
        (r#"{"name":"{{n"}"#, "no closing"),
    ] {
        let err = Template::parse(text).expect_err(text).message("-d");
        assert!(err.starts_with("bad placeholder"), "{text}: {err}");
        assert!(err.contains(why), "{text}: {err}");
    }
    assert_eq!(
        Template::parse("{{rand\n1}}").unwrap_err().message("-d"),
        "bad placeholder '{{rand\\n1}}' in -d: write {{rand A B}}, two whole numbers A ≤ B"
    );
}

fn render_reply(text: &str, context: &Context<'_>) -> String {
    let mut out = String::new();
    Template::parse_reply(text)
        .unwrap()
        .render_with(context, &mut Random::new(1), &mut out);
    out
}

#[test]
fn reply_placeholders_read_the_call() {
    let request = serde_json::json!({
        "name": "Go",
        "location": {"latitude": 5},
        "points": [{"x": 1}, {"x": 2}],
        "someField": true
    });
    let mut headers = http::HeaderMap::new();
    headers.insert("x-user", "alice".parse().unwrap());
    let context = Context {
        n: 3,
        request: Some(&request),
        headers: Some(&headers),
    };
    assert_eq!(
        render_reply(
            "{{request.name}} {{request.location.latitude}} {{request.points.1.x}} {{n}}",
            &context
        ),
        "Go 5 2 3"
    );
    assert_eq!(render_reply("{{request.some_field}}", &context), "true");
    assert_eq!(
        render_reply("[{{request.location}}]", &context),
        r#"[{"latitude":5}]"#
    );
    assert_eq!(render_reply("[{{request.missing.x}}]", &context), "[]");
    assert_eq!(render_reply(r#"{{header "X-User"}}"#, &context), "alice");
    assert_eq!(render_reply(r#"[{{header "x-none"}}]"#, &context), "[]");
    let now = render_reply("{{now}}", &context);
    assert_eq!(now.len(), "2026-12-05T10:11:32.123Z".len(), "{now}");
    assert!(now.ends_with('Z') && now.as_bytes()[10] == b'T', "{now}");
    assert_eq!(
        now_text(std::time::UNIX_EPOCH + std::time::Duration::from_millis(1_500)),
        "1970-01-01T00:00:01.500Z"
    );
    let whole = Template::parse_reply("{{request.location.latitude}}").unwrap();
    assert_eq!(
        whole.whole_request_path(),
        Some(&["location".to_owned(), "latitude".to_owned()][..])
    );
    assert_eq!(
        Template::parse_reply("x{{request.a}}")
            .unwrap()
            .whole_request_path(),
        None
    );
}

#[test]
fn plain_texts_refuse_the_reply_placeholders() {
    for text in ["{{now}}", "{{request.name}}", r#"{{header "x"}}"#] {
        let err = Template::parse(text).unwrap_err().message("-d");
        assert_eq!(
            err,
            format!(
                "bad placeholder '{text}' in -d: it reads the call a stub answers, and only a \
                 stub's reply has one; {SYNTAX}"
            )
        );
    }
    for (text, why) in [
        ("{{header x}}", "the name in double quotes"),
        (r#"{{header "a b"}}"#, "is not a header name"),
        ("{{request.}}", "with a field path"),
        ("{{request}}", "with a field path"),
        ("{{nope}}", "{{now}}"),
        (
            "x {{request.name",
            "no closing '}}'; the placeholders are {{n}}, {{uuid}}, {{rand A B}}, {{now}}",
        ),
    ] {
        let err = Template::parse_reply(text)
            .unwrap_err()
            .message("the reply");
        assert!(err.contains(why), "{text}: {err}");
    }
}

#[test]
fn objects_are_split_without_cutting_a_placeholder() {
    let split = |text: &str| -> Vec<String> {
        let template = Template::parse(text).unwrap();
        template
            .split_objects()
            .iter()
            .map(|object| {
                let mut out = String::new();
                object.render(9, &mut Random::new(1), &mut out);
                out
            })
            .collect()
    };
    assert_eq!(
        split("{\"a\":{{n}}}\n{\"b\":\"}{ \\\" {{n}}\"}  {\"c\":{\"d\":[1,{}]}}\n"),
        [r#"{"a":9}"#, r#"{"b":"}{ \" 9"}"#, r#"{"c":{"d":[1,{}]}}"#]
    );
    assert_eq!(split(r#"{"name":"x"}"#), [r#"{"name":"x"}"#]);
    assert!(split(" \n ").is_empty());
    // Stray text stays, for the JSON reader to refuse.
    assert_eq!(split("{} oops"), ["{}", "oops"]);
    let objects = Template::parse("{\"a\":1}\n{\"b\":{{n}}}")
        .unwrap()
        .split_objects();
    assert!(objects[0].is_constant());
    assert!(!objects[1].is_constant());
}
