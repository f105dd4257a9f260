//! What a fully-qualified name can refer to in a descriptor pool.

use prost_reflect::{
    DescriptorPool, EnumDescriptor, EnumValueDescriptor, FieldDescriptor, FileDescriptor,
    MessageDescriptor, MethodDescriptor, ServiceDescriptor,
};

/// A service, method, message, enum, enum value or field, found by its full name.
#[derive(Debug, Clone)]
pub enum Symbol {
    Service(ServiceDescriptor),
    Method(MethodDescriptor),
    Message(MessageDescriptor),
    Enum(EnumDescriptor),
    EnumValue(EnumValueDescriptor),
    Field(FieldDescriptor),
}

impl Symbol {
    /// Looks `name` up in `pool`: `pkg.Service`, `pkg.Service.Method` (or `pkg.Service/Method`),
    /// `pkg.Message`, `pkg.Message.field`, `pkg.Enum`, `pkg.Enum.VALUE`. A leading `.` or `/` is
    /// ignored.
    pub fn find(pool: &DescriptorPool, name: &str) -> Option<Symbol> {
        let name = name.trim_start_matches(['.', '/']).replace('/', ".");
        if let Some(service) = pool.get_service_by_name(&name) {
            return Some(Symbol::Service(service));
        }
        if let Some(message) = pool.get_message_by_name(&name) {
            return Some(Symbol::Message(message));
        }
        if let Some(enumeration) = pool.get_enum_by_name(&name) {
            return Some(Symbol::Enum(enumeration));
        }
        let (parent, last) = name.rsplit_once('.')?;
        if let Some(service) = pool.get_service_by_name(parent) {
            return service
                .methods()
                .find(|m| m.name() == last)
                .map(Symbol::Method);
        }
        if let Some(message) = pool.get_message_by_name(parent) {
            return message.get_field_by_name(last).map(Symbol::Field);
        }
        if let Some(enumeration) = pool.get_enum_by_name(parent) {
            return enumeration.get_value_by_name(last).map(Symbol::EnumValue);
        }
        None
    }

    /// The symbol's fully-qualified name, without a leading dot.
    pub fn full_name(&self) -> &str {
        match self {
            Symbol::Service(s) => s.full_name(),
            Symbol::Method(m) => m.full_name(),
            Symbol::Message(m) => m.full_name(),
            Symbol::Enum(e) => e.full_name(),
            Symbol::EnumValue(v) => v.full_name(),
            Symbol::Field(f) => f.full_name(),
        }
    }

    /// The file that defines the symbol.
    pub fn parent_file(&self) -> FileDescriptor {
        match self {
            Symbol::Service(s) => s.parent_file(),
            Symbol::Method(m) => m.parent_file(),
            Symbol::Message(m) => m.parent_file(),
            Symbol::Enum(e) => e.parent_file(),
            Symbol::EnumValue(v) => v.parent_file(),
            Symbol::Field(f) => f.parent_file(),
        }
    }

    /// Where the symbol sits in its file's `FileDescriptorProto`: field numbers and indexes.
    pub fn path(&self) -> &[i32] {
        match self {
            Symbol::Service(s) => s.path(),
            Symbol::Method(m) => m.path(),
            Symbol::Message(m) => m.path(),
            Symbol::Enum(e) => e.path(),
            Symbol::EnumValue(v) => v.path(),
            Symbol::Field(f) => f.path(),
        }
    }
}
