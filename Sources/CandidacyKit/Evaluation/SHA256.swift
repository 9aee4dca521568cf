/// SHA-256 (FIPS 180-4), small and dependency-free, for the rule pack digest.
public struct SHA256: Sendable {
    private var state: [UInt32] = [
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
    ]
    private var buffer: [UInt8] = []
    private var length: UInt64 = 0

    private static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    /// Creates a hasher with nothing hashed yet.
    public init() {}

    /// Adds bytes to the message.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(raw: UnsafeRawBufferPointer($0)) }
        if done == nil {
            let copy = Array(bytes)
            copy.withUnsafeBytes { update(raw: $0) }
        }
    }

    /// Adds bytes: whole 64-byte blocks are compressed straight from `raw`, only the ends go
    /// through `buffer`.
    private mutating func update(raw: UnsafeRawBufferPointer) {
        length &+= UInt64(raw.count)
        var index = 0
        if !buffer.isEmpty {
            while index < raw.count, buffer.count < 64 {
                buffer.append(raw[index])
                index += 1
            }
            guard buffer.count == 64 else { return }
            let block = buffer
            block.withUnsafeBytes { compress($0) }
            buffer.removeAll(keepingCapacity: true)
        }
        while raw.count - index >= 64 {
            compress(UnsafeRawBufferPointer(rebasing: raw[index..<index + 64]))
            index += 64
        }
        buffer.append(contentsOf: raw[index...])
    }

    /// The digest of everything added, as 64 lowercase hex digits.
    public func hexDigest() -> String {
        var copy = self
        let bitLength = length &* 8
        copy.update([0x80])
        while copy.buffer.count != 56 { copy.update([0]) }
        copy.update((0..<8).reversed().map { UInt8(truncatingIfNeeded: bitLength >> (UInt64($0) * 8)) })
        let digits = Array("0123456789abcdef")
        var text = ""
        for word in copy.state {
            for shift in stride(from: 28, through: 0, by: -4) {
                text.append(digits[Int((word >> UInt32(shift)) & 0xF)])
            }
        }
        return text
    }

    /// The hex digest of some bytes.
    public static func hexDigest(of bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.hexDigest()
    }

    private mutating func compress(_ block: UnsafeRawBufferPointer) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for i in 0..<16 {
                w[i] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
            }
            for i in 16..<64 {
                let s0 = rotate(w[i - 15], 7) ^ rotate(w[i - 15], 18) ^ (w[i - 15] >> 3)
                let s1 = rotate(w[i - 2], 17) ^ rotate(w[i - 2], 19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, h) = (state[0], state[1], state[2], state[3], state[4], state[5], state[6], state[7])
            Self.k.withUnsafeBufferPointer { k in
                for i in 0..<64 {
                    let s1 = rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)
                    let choice = (e & f) ^ (~e & g)
                    let t1 = h &+ s1 &+ choice &+ k[i] &+ w[i]
                    let s0 = rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)
                    let majority = (a & b) ^ (a & c) ^ (b & c)
                    let t2 = s0 &+ majority
                    (h, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
                }
            }
            state[0] &+= a
            state[1] &+= b
            state[2] &+= c
            state[3] &+= d
            state[4] &+= e
            state[5] &+= f
            state[6] &+= g
            state[7] &+= h
        }
    }

    private func rotate(_ value: UInt32, _ count: UInt32) -> UInt32 {
        (value >> count) | (value << (32 - count))
    }
}

/// The digest that ties a report to the exact rule files that produced it.
public enum PackDigest {
    /// `sha256:` followed by the SHA-256 of the files in the order given (the loader puts
    /// `profile.yaml` first, then the therapy files by name). Each file contributes its base
    /// name, a NUL byte, its length in decimal, a NUL byte and its bytes, so the digest does not
    /// depend on the folder the pack lives in, and moving bytes between files changes it.
    public static func digest(of files: [PackFile]) -> String {
        digest(of: files, known: nil)
    }

    /// A digest worked out before for some files (such as those the binary carries).
    public struct Known: Sendable {
        /// The files.
        public let files: [PackFile]
        /// Their digest, ``PackDigest/digest(of:)`` of them in the loader's order.
        public let digest: String

        public init(files: [PackFile], digest: String) {
            self.files = files
            self.digest = digest
        }
    }

    /// ``digest(of:)``, or `known`'s digest without hashing when `files` are its files: the same
    /// names and bytes (compared byte for byte, a small fraction of hashing them).
    public static func digest(of files: [PackFile], known: Known?) -> String {
        if let known, files.count == known.files.count,
            files.allSatisfy({ file in
                known.files.contains { baseName($0.path) == baseName(file.path) && $0.contents == file.contents }
            })
        {
            return known.digest
        }
        var hasher = SHA256()
        for file in files {
            hasher.update(Array(baseName(file.path).utf8))
            hasher.update([0])
            hasher.update(Array(String(file.contents.count).utf8))
            hasher.update([0])
            hasher.update(file.contents)
        }
        return "sha256:" + hasher.hexDigest()
    }

    /// A file's name without its folder.
    private static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
