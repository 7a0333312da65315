package resolve

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
)

// Labeled is a message with what it is about, for fitting and measuring the model.
type Labeled struct {
	Text    string
	Current string   // the conversation's procedure, "" for none
	Accept  []string // the right procedures (document ids or codes); empty: none is right
}

// Collect observes each message and records which candidate is right (-1 when none is, or
// when no candidate is one of the right procedures).
func (r *Resolver) Collect(ctx context.Context, msgs []Labeled) ([]Example, error) {
	out := make([]Example, 0, len(msgs))
	for _, m := range msgs {
		obs, err := r.Observe(ctx, Query{Text: m.Text, Current: m.Current})
		if err != nil {
			return nil, err
		}
		ex := Example{None: obs.NoneFeatures, Label: -1}
		for i, c := range obs.Candidates {
			ex.Candidates = append(ex.Candidates, c.Features)
			if ex.Label < 0 && len(m.Accept) > 0 && c.Accepts(m.Accept) {
				ex.Label = i
			}
		}
		out = append(out, ex)
	}
	return out, nil
}

// Outcome counts what the decisions were over a set of examples.
type Outcome struct {
	Procedure     int // examples whose right procedure is in the catalog
	Answered      int // … answered with it
	ClarifiedWith int // … clarified with it among the offered
	Wrong         int // examples answered with a wrong procedure (any example)
	Uncovered     int // examples no procedure is right for
	HonestNone    int // … answered "none"
	Nones         int // "none" decisions in all
	Missed        int // examples whose right procedure was not among the candidates at all
	N             int
}

// RightRate is answered right plus half the clarifications that offered the right one.
func (o Outcome) RightRate() float64 {
	return (float64(o.Answered) + 0.5*float64(o.ClarifiedWith)) / float64(max(o.Procedure, 1))
}

// WrongRate is the share of all examples answered with a wrong procedure.
func (o Outcome) WrongRate() float64 { return float64(o.Wrong) / float64(max(o.N, 1)) }

// NoneRecall is the share of uncovered examples answered "none".
func (o Outcome) NoneRecall() float64 { return float64(o.HonestNone) / float64(max(o.Uncovered, 1)) }

// NonePrecision is the share of "none" decisions that were right.
func (o Outcome) NonePrecision() float64 { return float64(o.HonestNone) / float64(max(o.Nones, 1)) }

func (o Outcome) String() string {
	return fmt.Sprintf("right %.3f (answered %d, clarified with it %d of %d), wrong %.3f (%d of %d), none recall %.3f precision %.3f (%d uncovered), right not found %d",
		o.RightRate(), o.Answered, o.ClarifiedWith, o.Procedure, o.WrongRate(), o.Wrong, o.N, o.NoneRecall(), o.NonePrecision(), o.Uncovered, o.Missed)
}

// Evaluate decides each example with the model and counts the outcomes. labels tells which
// examples have a right procedure in the catalog (true) — an example may have one that the
// candidates miss (Label -1).
func (m *Model) Evaluate(examples []Example, hasProcedure []bool) Outcome {
	return m.evaluate(examples, m.probabilities(examples), hasProcedure)
}

func (m *Model) probabilities(examples []Example) [][]float64 {
	out := make([][]float64, len(examples))
	for i, ex := range examples {
		out[i] = m.Probabilities(ex)
	}
	return out
}

// evaluate is Evaluate with the examples' probabilities given.
func (m *Model) evaluate(examples []Example, probs [][]float64, hasProcedure []bool) Outcome {
	var o Outcome
	for i, ex := range examples {
		o.N++
		dec, picked := decideProbs(m, probs[i])
		if hasProcedure[i] {
			o.Procedure++
			if ex.Label < 0 {
				o.Missed++
			}
		} else {
			o.Uncovered++
		}
		switch dec {
		case Answer:
			if hasProcedure[i] && picked[0] == ex.Label {
				o.Answered++
			} else {
				o.Wrong++
			}
		case Clarify:
			for _, p := range picked {
				if hasProcedure[i] && p == ex.Label {
					o.ClarifiedWith++
				}
			}
		case None:
			o.Nones++
			if !hasProcedure[i] {
				o.HonestNone++
			}
		}
	}
	return o
}

// decideProbs applies the thresholds to probabilities (none first, then each candidate) and
// returns the decision and the candidates it answers or offers, by index.
func decideProbs(m *Model, ps []float64) (string, []int) {
	idx := make([]int, len(ps)-1)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return ps[idx[a]+1] > ps[idx[b]+1] })
	sorted := make([]float64, len(idx))
	for k, i := range idx {
		sorted[k] = ps[i+1]
	}
	dec, n := m.choose(sorted)
	return dec, idx[:n]
}

// ChooseThresholds sets the model's thresholds to those that, on the given (dev) examples,
// answer most questions right — clarifying with the right one counts half — among those that
// answer at most maxWrong of the examples wrongly and leave at least minNone of the uncovered
// ones honestly unanswered. The examples come in groups (one per store they were observed
// over): each group must meet the bounds, and the mean of the groups' right rates is what is
// maximised, so that a store where nearly every question is uncovered does not decide for
// the others. It returns the outcome of each group at the chosen thresholds.
//
// confirms are the Confirm thresholds tried (0: never ask about a lone candidate).
func (m *Model) ChooseThresholds(groups [][]Example, hasProcedure [][]bool, maxWrong, minNone float64, confirms []float64) []Outcome {
	if len(confirms) == 0 {
		confirms = []float64{0}
	}
	bestScore := -1.0
	chosen := [4]float64{0.5, 0.15, 0.5, 0}
	probs := make([][][]float64, len(groups))
	for i := range groups {
		probs[i] = m.probabilities(groups[i])
	}
	eval := func() ([]Outcome, bool, float64) {
		outs := make([]Outcome, len(groups))
		ok, sum := true, 0.0
		for i := range groups {
			outs[i] = m.evaluate(groups[i], probs[i], hasProcedure[i])
			if outs[i].WrongRate() > maxWrong || outs[i].Uncovered > 0 && outs[i].NoneRecall() < minNone {
				ok = false
			}
			sum += outs[i].RightRate()
		}
		return outs, ok, sum / float64(max(len(groups), 1))
	}
	for i := 0; i <= 28; i++ { // answer thresholds 0.2, 0.225, …, 0.9
		a := float64(200+25*i) / 1000
		for _, off := range []float64{0.05, 0.075, 0.1, 0.15, 0.2, 0.25} {
			for _, c := range []float64{0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8} {
				for _, conf := range confirms {
					if conf >= a {
						continue
					}
					m.Answer, m.Offer, m.Clarify, m.Confirm = a, off, c, conf
					if _, ok, s := eval(); ok && s > bestScore {
						bestScore, chosen = s, [4]float64{a, off, c, conf}
					}
				}
			}
		}
	}
	m.Answer, m.Offer, m.Clarify, m.Confirm = chosen[0], chosen[1], chosen[2], chosen[3]
	outs, _, _ := eval()
	return outs
}

// Conversations adds conversation turns to messages, deterministically from seed: a new
// need asked while the conversation is about another procedure (the message's procedure is
// right), follow-ups about the conversation's procedure (it is right), and follow-ups with
// nothing before them (none is right: the assistant asks which procedure).
func Conversations(msgs []Labeled, followUps []string, codes []string, seed uint64) []Labeled {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	var out []Labeled
	var withProc []Labeled
	for _, m := range msgs {
		if len(m.Accept) > 0 {
			withProc = append(withProc, m)
		}
	}
	if len(withProc) == 0 || len(followUps) == 0 || len(codes) == 0 {
		return nil
	}
	for i, m := range withProc {
		if i%4 == 0 {
			cur := codes[rng.IntN(len(codes))]
			if !contains(m.Accept, cur) {
				out = append(out, Labeled{Text: m.Text, Current: cur, Accept: m.Accept})
			}
		}
	}
	n := len(withProc) / 6
	for i := 0; i < n; i++ {
		m := withProc[rng.IntN(len(withProc))]
		out = append(out, Labeled{Text: followUps[rng.IntN(len(followUps))], Current: m.Accept[0], Accept: m.Accept[:1]})
	}
	for i := 0; i < n/5; i++ {
		out = append(out, Labeled{Text: followUps[rng.IntN(len(followUps))]})
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
