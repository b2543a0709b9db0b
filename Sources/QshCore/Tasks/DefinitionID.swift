// Content-addressed definitions: a program's id is the SHA-256 of a canonical encoding of
// everything a worker reads of it (its name, its bytes, every include's path and what
// reading it gave), so the same submission stores one definition, shared by its tasks.

extension ProgramSnapshot {
    /// The definition id of this program: 64 lower-case hexadecimal digits.
    ///
    /// The encoding hashed: the tag `qsh definition 1` and a line feed, then the name
    /// and the bytes of the main file, the number of includes, and for each include its
    /// path, a one-byte outcome (1 loaded, 2 not found, 3 failed, 4 too large) and, for
    /// a loaded one its bytes, for a failed one its reason. Every string and byte string
    /// is preceded by its length and every count is written as 8 bytes big-endian, so no
    /// two programs encode alike. Change the tag if the encoding ever changes.
    public var definitionID: String {
        var hash = SHA256()
        hash.update("qsh definition 1\n")
        func count(_ n: Int) {
            let value = UInt64(n)
            hash.update((0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * UInt64($0))) })
        }
        func field(_ bytes: [UInt8]) {
            count(bytes.count)
            hash.update(bytes)
        }
        field(Array(main.name.utf8))
        field(main.bytes)
        count(includes.count)
        for file in includes {
            field(Array(file.path.utf8))
            switch file.result {
            case .loaded(let bytes):
                hash.update([1])
                field(bytes)
            case .notFound:
                hash.update([2])
            case .failed(let reason):
                hash.update([3])
                field(Array(reason.utf8))
            case .tooLarge:
                hash.update([4])
            }
        }
        return SHA256.hex(hash.finalize())
    }
}
