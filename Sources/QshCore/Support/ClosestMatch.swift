// "Did you mean": the candidate nearest a mistyped word, by edit distance. Used for
// commands, options and values in the executable, and for QPU ids in the registry.

/// The candidate nearest to `word` by edit distance, if it is close enough to be a typo
/// (at most a third of its length, from 1 to 3 edits), else the one candidate `word`
/// begins, when it has 3 or more characters.
public func closestMatch(_ word: String, in candidates: [String]) -> String? {
    var best: (String, Int)?
    for candidate in candidates {
        let d = editDistance(word, candidate)
        let limit = max(1, min(3, candidate.count / 3))
        if d <= limit, best == nil || d < best!.1 { best = (candidate, d) }
    }
    if best == nil, word.count >= 3 {
        let prefixed = candidates.filter { $0.hasPrefix(word) }
        if prefixed.count == 1 { return prefixed[0] }
    }
    return best?.0
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), in bytes.
public func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.utf8), y = Array(b.utf8)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
    for i in 0...x.count { d[i][0] = i }
    for j in 0...y.count { d[0][j] = j }
    for i in 1...x.count {
        for j in 1...y.count {
            let cost = x[i - 1] == y[j - 1] ? 0 : 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
            }
        }
    }
    return d[x.count][y.count]
}
