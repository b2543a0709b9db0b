// PostgresAddress: which texts are PostgreSQL databases (URLs and libpq's key/value form,
// not SQLite paths), the redacted form every message shows, and the host named in messages.
import QshCore
import Testing

@Suite struct PostgresAddressTests {
    @Test(arguments: [
        "postgres://alice@db1:5432/qsh", "postgresql://db1/qsh", "POSTGRESQL://db1", "postgres://",
        "host=db1 dbname=qsh", "dbname=qsh", "host = db1  port=5433", "service=qsh",
        "host=/var/run/postgresql dbname='my db'",
    ])
    func aPostgreSQLTextIsRecognised(_ text: String) {
        #expect(PostgresAddress(text) != nil)
    }

    @Test(arguments: [
        "tasks.sqlite", "/tmp/a=b.sqlite", "a=b.sqlite", "colour=red", "./postgres://x", "", "host", "host=",
        ":memory:", "dbname='unclosed",
    ])
    func anSQLitePathIsNot(_ text: String) {
        // "host=" is a key with an empty value: libpq accepts it, so it counts.
        #expect((PostgresAddress(text) != nil) == (text == "host="))
    }

    @Test(arguments: [
        ("postgresql://alice:s3cret@db1:5432/qsh", "postgresql://alice@db1:5432/qsh"),
        ("postgres://alice:p%40ss:word@db1/qsh", "postgres://alice@db1/qsh"),
        ("postgresql://alice@db1/qsh?sslmode=require&password=s3cret", "postgresql://alice@db1/qsh?sslmode=require"),
        ("postgresql://db1/qsh?password=s3cret", "postgresql://db1/qsh"),
        ("postgresql://:s3cret@db1/qsh", "postgresql://@db1/qsh"),
        ("postgresql://db1/qsh", "postgresql://db1/qsh"),
        ("host=db1 user=alice password=s3cret dbname=qsh", "host=db1 user=alice dbname=qsh"),
        ("host=db1 password='a b\\' c' sslpassword=x", "host=db1"),
        ("dbname='my db' password = s3cret", "dbname='my db'"),
    ])
    func passwordsAreTakenOut(_ pair: (String, String)) throws {
        let address = try #require(PostgresAddress(pair.0))
        #expect(address.redacted == pair.1)
        #expect("\(address)" == pair.1)
        #expect(!address.redacted.contains("s3cret"))
    }

    @Test(arguments: [
        ("postgresql://alice:pw@db1:5433/qsh", "db1", "5433"),
        ("postgresql://db1/qsh", "db1", nil),
        ("postgresql://[::1]:6000/qsh", "::1", "6000"),
        ("postgresql:///qsh?host=%2Fvar%2Frun%2Fpostgresql&port=5434", "/var/run/postgresql", "5434"),
        ("postgresql:///qsh", nil, nil),
        ("host=db2 port=6543 dbname=qsh", "db2", "6543"),
        ("dbname=qsh", nil, nil),
    ] as [(String, String?, String?)])
    func theHostAndPortAreReadForMessages(_ row: (String, String?, String?)) throws {
        let address = try #require(PostgresAddress(row.0))
        #expect(address.hostAndPort.host == row.1)
        #expect(address.hostAndPort.port == row.2)
    }
}
