package web

import (
	"crypto/subtle"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/thutuc/thutuc/chat"
	"github.com/thutuc/thutuc/postgres"
)

// The content team's console: what goes unanswered, what is judged unhelpful, satisfaction
// over time and the most asked procedures, with a CSV export. It exists only when
// Config.AdminToken is set, and answers 401 without the token (HTTP Basic, any user name, or
// a Bearer header). What it shows was redacted before it was stored.

// requireAdmin lets through requests that carry the admin token.
func (s *Server) requireAdmin() gin.HandlerFunc {
	want := []byte(s.cfg.AdminToken)
	return func(c *gin.Context) {
		got := ""
		if _, pw, ok := c.Request.BasicAuth(); ok {
			got = pw
		} else if b, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer "); ok {
			got = b
		}
		if subtle.ConstantTimeCompare([]byte(got), want) != 1 {
			c.Header("WWW-Authenticate", `Basic realm="thutuc admin", charset="UTF-8"`)
			c.AbortWithStatusJSON(http.StatusUnauthorized, errorBody("unauthorized", "Cần mã truy cập quản trị."))
			return
		}
		c.Header("Cache-Control", "no-store")
		c.Next()
	}
}

// console is what the console page shows.
type console struct {
	Days        int
	Unanswered  []postgres.UnansweredQuestion
	DownVotes   []postgres.DownVote
	Chart       []consoleDay
	Procedures  []postgres.ProcedureFeedback
	Weeks       map[string][]string // per procedure: its helpful share week by week ("T49: 67% (3)")
	Statuses    map[string]int
	Feedback    int
	HelpfulRate float64
}

// consoleDay is one bar of the satisfaction chart.
type consoleDay struct {
	Label             string
	Feedback, Helpful int
	Rate              float64
	X, Height, Y      int // the bar in the chart's SVG coordinates
}

func (s *Server) loadConsole(c *gin.Context) (*console, error) {
	days, err := intQuery(c, "days", 30, 1, 366)
	if err != nil {
		return nil, err
	}
	ctx := c.Request.Context()
	since := time.Now().AddDate(0, 0, -days)
	con := &console{Days: days}
	if con.Unanswered, err = s.db.Unanswered(ctx, since, 50); err != nil {
		return nil, err
	}
	if con.DownVotes, err = s.db.DownVotes(ctx, since, 50); err != nil {
		return nil, err
	}
	for _, v := range con.DownVotes { // reasons by what their chips said
		for j, r := range v.Reasons {
			if l, ok := chat.FeedbackReason(r); ok {
				v.Reasons[j] = l
			}
		}
	}
	perDay, err := s.db.Satisfaction(ctx, since)
	if err != nil {
		return nil, err
	}
	helpful := 0
	for i, d := range perDay {
		cd := consoleDay{Label: d.Day.Format("02/01"), Feedback: d.Feedback, Helpful: d.Helpful}
		if d.Feedback > 0 {
			cd.Rate = float64(d.Helpful) / float64(d.Feedback)
		}
		cd.X, cd.Height = 40+i*28, int(cd.Rate*160)
		cd.Y = 180 - cd.Height
		con.Chart = append(con.Chart, cd)
		con.Feedback += d.Feedback
		helpful += d.Helpful
	}
	if con.Feedback > 0 {
		con.HelpfulRate = float64(helpful) / float64(con.Feedback)
	}
	st, err := s.db.ChatStats(ctx)
	if err != nil {
		return nil, err
	}
	weeks, err := s.db.SatisfactionByWeek(ctx, since)
	if err != nil {
		return nil, err
	}
	con.Weeks = map[string][]string{}
	for _, w := range weeks {
		_, n := w.Week.ISOWeek()
		con.Weeks[w.ProcedureID] = append(con.Weeks[w.ProcedureID],
			fmt.Sprintf("T%d: %s (%d)", n, percent(float64(w.Helpful)/float64(max(w.Feedback, 1))), w.Feedback))
	}
	con.Statuses = st.Statuses
	con.Procedures = st.Procedures[:min(20, len(st.Procedures))]
	return con, nil
}

func (s *Server) handleAdmin(c *gin.Context) {
	con, err := s.loadConsole(c)
	if err != nil {
		s.pageError(c, err)
		return
	}
	s.render(c, http.StatusOK, "admin", page{Title: "Bảng điều khiển nội dung", Data: con})
}

// handleAdminCSV exports the unanswered questions and the unhelpful answers.
func (s *Server) handleAdminCSV(c *gin.Context) {
	con, err := s.loadConsole(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="thutuc-`+time.Now().Format("2006-01-02")+`.csv"`)
	w := csv.NewWriter(c.Writer)
	w.Write([]string{"loại", "thủ tục", "câu hỏi", "số lần", "góp ý"})
	for _, q := range con.Unanswered {
		w.Write([]string{"không có nguồn", "", q.Text, strconv.Itoa(q.Count), ""})
	}
	for _, v := range con.DownVotes {
		w.Write([]string{"không hữu ích", strings.TrimSpace(v.ProcedureID + " " + v.Title), strings.Join(v.Questions, " | "),
			strconv.Itoa(v.Count), strings.Join(append(v.Reasons, v.Comments...), " | ")})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		s.logger.Warn("admin export", "err", err)
	}
}

// percent formats a share as a whole percentage.
func percent(f float64) string { return fmt.Sprintf("%.0f%%", f*100) }

// chartWidth is the width of the satisfaction chart of n days (at least a month's, so that a
// few days do not make giant bars).
func chartWidth(n int) int { return 40 + max(n, 30)*28 + 10 }

func helpfulRate(p postgres.ProcedureFeedback) float64 {
	return float64(p.Helpful) / float64(max(p.Feedback, 1))
}
