import Fluent

/// Every migration, in order of their numbers. Each capability lists its own (`Capabilities`);
/// both databases run exactly these.
public enum PropDeskMigrations {
    public static let all: [any Migration] = Capabilities.all.flatMap(\.migrations).sorted { $0.name < $1.name }
}
