package catalog

// Numbers and amounts written the Vietnamese way.

import (
	"math"
	"strconv"
	"strings"
)

// FormatMoney writes an amount the Vietnamese way: 200.000 đồng, 145 USD.
func FormatMoney(amount int64, currency string) string {
	if currency == "USD" {
		return FormatNumber(float64(amount)) + " USD"
	}
	return FormatNumber(float64(amount)) + " đồng"
}

// FormatNumber writes a number with '.' between thousands and ',' as the decimal mark.
func FormatNumber(v float64) string {
	neg := v < 0
	if neg {
		v = -v
	}
	whole := math.Floor(v)
	frac := v - whole
	digits := strconv.FormatFloat(whole, 'f', 0, 64)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if frac > 1e-9 {
		f := strconv.FormatFloat(frac, 'f', -1, 64) // "0.5"
		b.WriteString("," + strings.TrimPrefix(f, "0."))
	}
	return b.String()
}
