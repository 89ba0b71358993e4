/// A page of a list operation (`?Marker=&MaxItems=`): the marker is the index of the first item,
/// as sqslite hands it out in `NextMarker`.
///
/// Both come from the query string, so both are checked: a negative, non-numeric or out-of-range
/// value is a 400 `InvalidParameterValueException`, never an index into a list.
struct LambdaAPIPage {
    /// The index of the first item.
    var start: Int
    /// The most items.
    var limit: Int

    /// Reads `Marker` and `MaxItems` from the query parameters.
    init(query: [String: String]) throws(LambdaAPIError) {
        start = 0
        limit = LambdaAPILimits.defaultMaxItems
        if let marker = query["Marker"], !marker.isEmpty {
            guard let value = Int(marker), value >= 0 else {
                throw .invalidParameter("Invalid marker: \(marker)")
            }
            start = value
        }
        if let text = query["MaxItems"] {
            let range = LambdaAPILimits.maxItems
            guard let value = Int(text) else {
                throw .invalidParameter(
                    "1 validation error detected: Value '\(text)' at 'maxItems' failed to satisfy constraint: Member must be a number")
            }
            guard range.contains(value) else {
                let bound = value < range.lowerBound ? "greater than or equal to \(range.lowerBound)" : "less than or equal to \(range.upperBound)"
                throw .invalidParameter(
                    "1 validation error detected: Value '\(value)' at 'maxItems' failed to satisfy constraint: Member must have value \(bound)")
            }
            limit = value
        }
    }

    /// This page of `items`, and the marker of the next one when more remain.
    func slice<T>(_ items: [T]) -> (items: ArraySlice<T>, nextMarker: String?) {
        guard start < items.count else { return (items[items.endIndex...], nil) }
        let end = start + min(limit, items.count - start)
        return (items[start..<end], end < items.count ? String(end) : nil)
    }
}
