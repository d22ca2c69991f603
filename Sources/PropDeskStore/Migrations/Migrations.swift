import Fluent

/// Every migration, in order. Both databases run exactly these.
public enum PropDeskMigrations {
    public static let all: [any Migration] = [
        CreateRegistry(),
        CreateAccounts(),
        CreateWorkOrders(),
        CreateOrderPhotos(),
        OrderListIndexes(),
        CreateSignInThrottles(),
        CreateSettings(),
        CreatePlatform(),
        CreateEvidence(),
        MoveOrderTimelines(),
    ]
}
