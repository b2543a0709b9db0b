// SHA-256 against the NIST example vectors of FIPS 180-4 (the empty message, "abc",
// the 448-bit and 896-bit messages, a million 'a'), the padding's block boundaries,
// and updates in pieces of every size.
import QshCore
import Testing

@Suite struct SHA256Tests {
    static func hex(_ bytes: [UInt8]) -> String { SHA256.hex(SHA256.hash(bytes)) }

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func nistVectors(message: String, digest: String) {
        #expect(Self.hex(Array(message.utf8)) == digest)
        var hash = SHA256()
        hash.update(message)
        #expect(SHA256.hex(hash.finalize()) == digest)
    }

    @Test func aMillionAs() {
        var hash = SHA256()
        let thousand = [UInt8](repeating: 0x61, count: 1000)
        for _ in 0..<1000 { hash.update(thousand) }
        #expect(SHA256.hex(hash.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Lengths around the point where the length no longer fits in the last block.
    @Test(arguments: [
        (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (57, "f13b2d724659eb3bf47f2dd6af1accc87b81f09f59f2b75e5c0bed6589dfe8c6"),
        (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
        (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
        (119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
        (120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"),
    ])
    func paddingBoundaries(length: Int, digest: String) {
        #expect(Self.hex([UInt8](repeating: 0x61, count: length)) == digest)
    }

    @Test func piecesOfEverySizeGiveTheSameDigest() {
        let message = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let whole = SHA256.hash(message)
        for piece in 1...130 {
            var hash = SHA256()
            var offset = 0
            while offset < message.count {
                let end = min(message.count, offset + piece)
                hash.update(Array(message[offset..<end]))
                offset = end
            }
            #expect(hash.finalize() == whole, "pieces of \(piece) bytes")
        }
    }

    @Test func finalizingDoesNotEndTheHash() {
        var hash = SHA256()
        hash.update("ab")
        #expect(SHA256.hex(hash.finalize()) == Self.hex(Array("ab".utf8)))
        hash.update("c")
        #expect(SHA256.hex(hash.finalize()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
