package bunstore

// lastPage trims rows fetched with limit+1 to limit and returns the next
// page's cursor: the id of the last row kept when there was one more row,
// else "" (this was the last page). Listings page newest first by id.
func lastPage[T any](rows []T, limit int, id func(T) string) ([]T, string) {
	if len(rows) <= limit {
		return rows, ""
	}
	rows = rows[:limit]
	return rows, id(rows[limit-1])
}
