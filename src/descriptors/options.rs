//! Empty options, dropped before files join a pool.
//!
//! `protoc` writes an empty `MethodOptions` for every `rpc … {}`, and many servers' files carry
//! empty options too. For each options message present, prost-reflect reads the options through
//! `google/protobuf/descriptor.proto`, which it builds on first use: about half a millisecond of
//! a one-call process, spent on nothing. An options message with no field set says nothing, so
//! it goes.

use prost::Message;
use prost_types::{DescriptorProto, EnumDescriptorProto, FileDescriptorProto};

/// Removes every options message of `file` that has no field set.
pub fn drop_empty_options(file: &mut FileDescriptorProto) {
    clear_if_empty(&mut file.options);
    file.message_type.iter_mut().for_each(message);
    file.enum_type.iter_mut().for_each(enumeration);
    for field in &mut file.extension {
        clear_if_empty(&mut field.options);
    }
    for service in &mut file.service {
        clear_if_empty(&mut service.options);
        for method in &mut service.method {
            clear_if_empty(&mut method.options);
        }
    }
}

fn message(message_type: &mut DescriptorProto) {
    clear_if_empty(&mut message_type.options);
    for field in message_type
        .field
        .iter_mut()
        .chain(message_type.extension.iter_mut())
    {
        clear_if_empty(&mut field.options);
    }
    for oneof in &mut message_type.oneof_decl {
        clear_if_empty(&mut oneof.options);
    }
    message_type.nested_type.iter_mut().for_each(message);
    message_type.enum_type.iter_mut().for_each(enumeration);
}

fn enumeration(enum_type: &mut EnumDescriptorProto) {
    clear_if_empty(&mut enum_type.options);
    for value in &mut enum_type.value {
        clear_if_empty(&mut value.options);
    }
}

fn clear_if_empty<T: Message>(options: &mut Option<T>) {
    if options.as_ref().is_some_and(|o| o.encoded_len() == 0) {
        *options = None;
    }
}

#[cfg(test)]
mod tests {
    use prost_types::{MethodDescriptorProto, MethodOptions, ServiceDescriptorProto};

    use super::*;

    #[test]
    fn empty_options_go_and_set_ones_stay() {
        let method = |name: &str, deprecated: Option<bool>| MethodDescriptorProto {
            name: Some(name.into()),
            options: Some(MethodOptions {
                deprecated,
                ..Default::default()
            }),
            ..Default::default()
        };
        let mut file = FileDescriptorProto {
            service: vec![ServiceDescriptorProto {
                method: vec![method("Plain", None), method("Old", Some(true))],
                ..Default::default()
            }],
            ..Default::default()
        };
        drop_empty_options(&mut file);
        let methods = &file.service[0].method;
        assert_eq!(methods[0].options, None);
        assert_eq!(methods[1].options.as_ref().unwrap().deprecated, Some(true));
    }
}
