
/// The version of Duban, shown by `duban --version`.
public let version = "0.1.0"
