//! Messages between the two codecs: the proto3 JSON mapping of a message and its binary
//! encoding, through the message's descriptor, for a side that speaks one codec to a peer that
//! speaks the other.

use prost::Message as _;
use prost_reflect::{DynamicMessage, MessageDescriptor, SerializeOptions};

use super::{WireError, error::shown};

/// The binary encoding of the JSON `json` of a `descriptor` message.
pub fn json_to_proto(descriptor: &MessageDescriptor, json: &[u8]) -> Result<Vec<u8>, WireError> {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let message = DynamicMessage::deserialize(descriptor.clone(), &mut deserializer)
        .and_then(|message| deserializer.end().map(|()| message))
        .map_err(|err| {
            WireError::new(format!(
                "the JSON is not a {}: {err}: {}",
                descriptor.full_name(),
                shown(json)
            ))
        })?;
    Ok(message.encode_to_vec())
}

/// The JSON of the binary `proto` of a `descriptor` message.
pub fn proto_to_json(descriptor: &MessageDescriptor, proto: &[u8]) -> Result<Vec<u8>, WireError> {
    let message = DynamicMessage::decode(descriptor.clone(), proto).map_err(|err| {
        WireError::new(format!(
            "the message is not a {}: {err}",
            descriptor.full_name()
        ))
    })?;
    let mut out = Vec::with_capacity(proto.len() * 2 + 2);
    let mut serializer = serde_json::Serializer::new(&mut out);
    message
        .serialize_with_options(&mut serializer, &SerializeOptions::new())
        .map_err(|err| WireError::new(format!("the message has no JSON form: {err}")))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use prost_reflect::DescriptorPool;

    use super::*;

    fn hello_request() -> MessageDescriptor {
        let pool = DescriptorPool::decode(crate::api::FILE_DESCRIPTOR_SET).unwrap();
        pool.get_message_by_name("api.HelloRequest").unwrap()
    }

    #[test]
    fn json_and_proto_round_trip() {
        let descriptor = hello_request();
        let proto = json_to_proto(&descriptor, br#"{"name": "Buf"}"#).unwrap();
        assert_eq!(proto, b"\x0a\x03Buf");
        assert_eq!(
            proto_to_json(&descriptor, &proto).unwrap(),
            br#"{"name":"Buf"}"#
        );
    }

    #[test]
    fn bad_messages_say_what_is_wrong() {
        let descriptor = hello_request();
        for bad in [&br#"{"nom": "Buf"}"#[..], b"{", br#"{"name": 1}"#, b"{} {}"] {
            let err = json_to_proto(&descriptor, bad).unwrap_err();
            assert!(err.0.contains("is not a api.HelloRequest"), "{err}");
        }
        let err = proto_to_json(&descriptor, b"\x0a\x09Buf").unwrap_err();
        assert!(err.0.contains("is not a api.HelloRequest"), "{err}");
    }
}
