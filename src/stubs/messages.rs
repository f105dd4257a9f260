//! Conditions on a client stream's messages, checked at half-close: `count` (or a range),
//! `any`, `all`, and `equals` (these messages, in this order).

use prost_reflect::{DynamicMessage, MessageDescriptor};

use super::{
    StubError,
    compare::{self, Tally},
    matcher::RequestMatcher,
    message::{self, Leaves},
    read::Source,
};
use crate::spanned::{Node, Value};

/// A client stream's messages, at half-close.
#[derive(Debug, Default)]
pub(crate) struct MessagesMatcher {
    /// At least, at most.
    count: Option<(u64, u64)>,
    any: Option<RequestMatcher>,
    all: Option<RequestMatcher>,
    equals: Option<Vec<DynamicMessage>>,
}

impl MessagesMatcher {
    pub(crate) fn compile(
        source: &Source<'_>,
        node: &Node,
        descriptor: &MessageDescriptor,
    ) -> Result<MessagesMatcher, StubError> {
        let entries = source.mapping(node, "match.messages", &["count", "any", "all", "equals"])?;
        let mut matcher = MessagesMatcher::default();
        for (key, value) in entries {
            match key.text.as_str() {
                "count" => {
                    matcher.count = Some(match &value.value {
                        Value::Mapping(_) => {
                            let range = source.mapping(value, "count", &["min", "max"])?;
                            let mut bounds = (0, u64::MAX);
                            for (bound, number) in range {
                                let number =
                                    source.count(number, &format!("count.{}", bound.text))?;
                                match bound.text.as_str() {
                                    "min" => bounds.0 = number,
                                    _ => bounds.1 = number,
                                }
                            }
                            if bounds.0 > bounds.1 {
                                return Err(
                                    source.error(value.at, "count.min is more than count.max")
                                );
                            }
                            bounds
                        }
                        _ => {
                            let count = source.count(value, "count")?;
                            (count, count)
                        }
                    });
                }
                "any" => matcher.any = Some(RequestMatcher::compile(source, value, descriptor)?),
                "all" => matcher.all = Some(RequestMatcher::compile(source, value, descriptor)?),
                _ => {
                    let Value::Sequence(items) = &value.value else {
                        return Err(source.error(
                            value.at,
                            format!(
                                "messages.equals must be a list of messages, not {}",
                                value.kind()
                            ),
                        ));
                    };
                    let mut messages = Vec::with_capacity(items.len());
                    for item in items {
                        messages
                            .push(message::check(source, item, descriptor, Leaves::Text)?.message);
                    }
                    matcher.equals = Some(messages);
                }
            }
        }
        Ok(matcher)
    }

    pub(crate) fn points(&self) -> usize {
        usize::from(self.count.is_some())
            + self.any.as_ref().map_or(0, |m| m.points)
            + self.all.as_ref().map_or(0, |m| m.points)
            + self.equals.as_ref().map_or(0, |m| m.len().max(1))
    }

    pub(crate) fn check(&self, messages: &[DynamicMessage], tally: &mut Tally) {
        let got = messages.len() as u64;
        if let Some((min, max)) = self.count
            && !(min..=max).contains(&got)
        {
            tally.fail(|| match (min, max) {
                (min, max) if min == max => format!("messages: want {min}, got {got}"),
                (min, u64::MAX) => format!("messages: want at least {min}, got {got}"),
                (min, max) => format!("messages: want {min} to {max}, got {got}"),
            });
        }
        if let Some(any) = &self.any
            && !tally.done()
            && !messages.iter().any(|message| any.matches(message))
        {
            tally.fail(|| {
                let mut inner = Tally::default();
                if let Some(last) = messages.last() {
                    any.check(last, "messages.any", &mut inner);
                }
                inner
                    .first
                    .unwrap_or_else(|| "messages.any: want one message, got none".into())
            });
        }
        if let Some(all) = &self.all
            && !tally.done()
        {
            for (index, message) in messages.iter().enumerate() {
                if !all.matches(message) {
                    tally.fail(|| {
                        let mut inner = Tally::default();
                        all.check(message, &format!("messages[{index}]"), &mut inner);
                        inner.first.unwrap_or_default()
                    });
                    break;
                }
            }
        }
        if let Some(want) = &self.equals
            && !tally.done()
        {
            if want.len() != messages.len() {
                tally.fail(|| {
                    format!(
                        "messages: want {} equal to the stub's, got {}",
                        want.len(),
                        messages.len()
                    )
                });
                return;
            }
            for (index, (want, got)) in want.iter().zip(messages).enumerate() {
                compare::equals(want, got, &format!("messages[{index}]"), tally);
                if tally.done() {
                    return;
                }
            }
        }
    }
}
