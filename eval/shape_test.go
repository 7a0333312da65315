package eval

import (
	"testing"
	"time"
)

func TestExpiredAsCurrent(t *testing.T) {
	today := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"- **Trực tuyến**: 50.000 đồng (áp dụng đến hết 31/12/2025) [1]", true},
		{"- Lệ phí 0 đồng đến hết ngày 31/12/2023 [2]", true},
		{"- Mức giảm áp dụng đến hết 31/12/2026 [1]", false}, // still current
		{"- Mức giảm áp dụng đến hết 02/12/2026 [1]", false}, // its last day
		{"- Mức giảm áp dụng đến hết 01/12/2026 [1]", true},  // ended yesterday
		{"- 50.000 đồng đến hết 31/12/2025 (đã hết hạn áp dụng) [1]", false},
		{"- Thời hạn: 10 ngày làm việc [1]", false},
	} {
		if got := expiredAsCurrent(tc.line, today); got != tc.want {
			t.Errorf("expiredAsCurrent(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}

func TestQuantile(t *testing.T) {
	xs := []int{5, 1, 4, 2, 3, 10, 9, 8, 7, 6}
	for _, tc := range []struct {
		q    float64
		want int
	}{{0.5, 5}, {0.95, 10}, {0.1, 1}, {1, 10}} {
		if got := quantile(xs, tc.q); got != tc.want {
			t.Errorf("quantile(%v) = %d, want %d", tc.q, got, tc.want)
		}
	}
	if quantile(nil, 0.5) != 0 {
		t.Error("quantile of nothing is not 0")
	}
}
