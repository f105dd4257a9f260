//! File descriptors as they came, so that custom options survive into the pool.
//!
//! prost-types reads a `FileDescriptorProto` without the fields it does not know, and custom
//! options (`option (google.api.http) = …`) are extensions, which it does not know. Each file is
//! kept in both forms: read, for its name and imports, and encoded, for the pool.

use prost::Message as _;
use prost_reflect::{DescriptorError, DescriptorPool};
use prost_types::FileDescriptorProto;

use super::options::drop_empty_options;

/// One file descriptor, read and as encoded.
pub struct EncodedFile {
    pub proto: FileDescriptorProto,
    bytes: Vec<u8>,
}

/// A `FileDescriptorSet` whose files stay encoded.
#[derive(Clone, PartialEq, prost::Message)]
struct EncodedSet {
    #[prost(bytes = "vec", repeated, tag = "1")]
    file: Vec<Vec<u8>>,
}

impl EncodedFile {
    pub fn decode(bytes: Vec<u8>) -> Result<EncodedFile, prost::DecodeError> {
        let proto = FileDescriptorProto::decode(bytes.as_slice())?;
        Ok(EncodedFile { proto, bytes })
    }

    /// A file that never was encoded; it has no custom options to lose.
    pub fn from_proto(proto: FileDescriptorProto) -> EncodedFile {
        EncodedFile {
            bytes: proto.encode_to_vec(),
            proto,
        }
    }

    /// Whether reading it through prost-types lost something: its encoding is longer than
    /// what prost-types writes back.
    fn lost_in_reading(&self) -> bool {
        self.proto.encoded_len() != self.bytes.len()
    }
}

/// The files of an encoded `FileDescriptorSet`.
pub fn decode_set(bytes: &[u8]) -> Result<Vec<EncodedFile>, prost::DecodeError> {
    EncodedSet::decode(bytes)?
        .file
        .into_iter()
        .map(EncodedFile::decode)
        .collect()
}

/// Adds `files`, in any order, to the pool. Their empty options go first (see
/// [`drop_empty_options`]), except in a file that holds what prost-types cannot read: that one
/// goes in as it came, its custom options with it.
pub fn add_files(
    pool: &mut DescriptorPool,
    files: Vec<EncodedFile>,
) -> Result<(), DescriptorError> {
    if !files.iter().any(EncodedFile::lost_in_reading) {
        let protos = files.into_iter().map(|file| {
            let mut proto = file.proto;
            drop_empty_options(&mut proto);
            proto
        });
        return pool.add_file_descriptor_protos(protos);
    }
    let set = EncodedSet {
        file: files
            .into_iter()
            .map(|file| {
                if file.lost_in_reading() {
                    file.bytes
                } else {
                    let mut proto = file.proto;
                    drop_empty_options(&mut proto);
                    proto.encode_to_vec()
                }
            })
            .collect(),
    };
    pool.decode_file_descriptor_set(set.encode_to_vec().as_slice())
}

#[cfg(test)]
mod tests {
    use prost_reflect::Value;

    use super::*;

    /// The files of a small set with a custom method option, each encoded as servers send them.
    fn encoded_files() -> Vec<Vec<u8>> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("x.proto"),
            "syntax = \"proto3\";\npackage x;\nimport \"google/protobuf/descriptor.proto\";\n\
             extend google.protobuf.MethodOptions { string route = 50001; }\n\
             message M {}\n\
             service S { rpc Plain(M) returns (M) {} rpc Get(M) returns (M) { option (x.route) = \"/m\"; } }\n",
        )
        .unwrap();
        let mut compiler = protox::Compiler::new([dir.path()]).unwrap();
        compiler.include_imports(true);
        compiler.open_file("x.proto").unwrap();
        let set = EncodedSet::decode(compiler.encode_file_descriptor_set().as_slice()).unwrap();
        set.file
    }

    fn route(pool: &DescriptorPool) -> Option<Value> {
        let method = pool.get_service_by_name("x.S")?.methods().nth(1)?;
        let extension = pool.get_extension_by_name("x.route")?;
        let options = method.options();
        options
            .has_extension(&extension)
            .then(|| options.get_extension(&extension).into_owned())
    }

    #[test]
    fn custom_options_survive_and_empty_options_go() {
        let files: Vec<EncodedFile> = encoded_files()
            .into_iter()
            .map(|bytes| EncodedFile::decode(bytes).unwrap())
            .collect();
        assert!(files.iter().any(EncodedFile::lost_in_reading));
        let mut pool = DescriptorPool::new();
        add_files(&mut pool, files).unwrap();
        assert_eq!(route(&pool), Some(Value::String("/m".into())));
        // The file as prost-types reads it has no custom option left.
        let mut read = DescriptorPool::new();
        let protos = encoded_files()
            .into_iter()
            .map(|bytes| FileDescriptorProto::decode(bytes.as_slice()).unwrap());
        read.add_file_descriptor_protos(protos).unwrap();
        assert_eq!(route(&read), None);
    }

    #[test]
    fn files_without_custom_options_lose_their_empty_options() {
        let file = EncodedFile::from_proto(FileDescriptorProto {
            name: Some("y.proto".into()),
            package: Some("y".into()),
            options: Some(Default::default()),
            ..Default::default()
        });
        assert!(!file.lost_in_reading());
        let mut pool = DescriptorPool::new();
        add_files(&mut pool, vec![file]).unwrap();
        let added = pool.get_file_by_name("y.proto").unwrap();
        assert_eq!(added.file_descriptor_proto().options, None);
    }
}
