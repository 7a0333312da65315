package embedding

import (
	"bytes"
	"context"
	"slices"
	"testing"
)

// toyExamples are three procedures named and asked about in a few ways.
func toyExamples() []Example {
	var ex []Example
	add := func(code string, texts ...string) {
		for _, t := range texts {
			ex = append(ex, Example{Text: t, Label: code})
		}
	}
	add("ho-chieu", "cấp hộ chiếu phổ thông", "làm hộ chiếu", "làm passport đi du lịch", "hộ chiếu lần đầu cần gì", "xin hộ chiếu ở đâu")
	add("ket-hon", "đăng ký kết hôn", "làm giấy kết hôn", "đăng ký kết hôn với người nước ngoài", "cưới vợ cần giấy gì", "giấy đăng ký kết hôn ở xã")
	add("khai-sinh", "đăng ký khai sinh", "làm giấy khai sinh cho con", "con mới sinh cần làm giấy gì", "khai sinh cho bé ở xã", "giấy khai sinh cho con mới đẻ")
	for i := range ex {
		ex[i].Hard = []string{"ho-chieu", "ket-hon", "khai-sinh"}
	}
	return ex
}

func trainToy(t *testing.T) *Trained {
	t.Helper()
	m, err := Train(toyExamples(), TrainOptions{Dim: 16, Epochs: 40, LR: 0.05, Scale: 4, MinCount: 1, Negatives: 2}, ModelInfo{Inputs: "toy"})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestTrainLearnsAndIsDeterministic(t *testing.T) {
	a, b := trainToy(t), trainToy(t)
	var ba, bb bytes.Buffer
	if _, err := a.WriteTo(&ba); err != nil {
		t.Fatal(err)
	}
	b.WriteTo(&bb)
	if !bytes.Equal(ba.Bytes(), bb.Bytes()) || a.Name() != b.Name() {
		t.Fatal("the same examples and seed gave two different models")
	}
	if a.Info.Inputs != "toy" {
		t.Errorf("Info = %+v, want the given info", a.Info)
	}
	for q, want := range map[string]string{
		"lam ho chieu mat bao lau":         "ho-chieu", // folded, unseen words
		"thủ tục kết hôn cần những gì":     "ket-hon",
		"be moi sinh lam giay khai sinh o": "khai-sinh",
	} {
		if got := a.Rank(q, 3); got[0] != want {
			t.Errorf("Rank(%q) = %v, want %s first", q, got, want)
		}
	}
	other, err := Train(toyExamples(), TrainOptions{Dim: 16, Epochs: 40, LR: 0.05, Scale: 4, MinCount: 1, Negatives: 2, Seed: 7}, ModelInfo{})
	if err != nil {
		t.Fatal(err)
	}
	if other.Name() == a.Name() {
		t.Error("another seed gave the same model name")
	}
}

func TestTrainedRoundTrip(t *testing.T) {
	m := trainToy(t)
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := LoadTrained(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if back.Name() != m.Name() || back.Dim() != 16 || !slices.Equal(back.Labels(), m.Labels()) {
		t.Fatalf("round trip: %s %d %v, want %s 16 %v", back.Name(), back.Dim(), back.Labels(), m.Name(), m.Labels())
	}
	v1, _ := m.EmbedQuery(context.Background(), "làm hộ chiếu")
	v2, _ := back.EmbedQuery(context.Background(), "làm hộ chiếu")
	if !slices.Equal(v1, v2) {
		t.Error("a loaded model embeds differently")
	}
	if n := cosine(v1, v1); n < 0.999 || n > 1.001 {
		t.Errorf("vector not unit length: %v", n)
	}
	if v, ok := m.LabelVector("ket-hon"); !ok || len(v) != 16 {
		t.Errorf("LabelVector(ket-hon) = %v, %v", v, ok)
	}
	if _, ok := m.LabelVector("unknown"); ok {
		t.Error("LabelVector of an unknown code")
	}
	for _, x := range m.Vector("!!! ???") {
		if x != 0 {
			t.Fatal("a text without known features must embed to the zero vector")
		}
	}
	// The document vector of a known procedure is its label; of an unknown one, its card.
	ctx := context.Background()
	dv, _ := DocumentVector(ctx, m, "ket-hon", "whatever")
	lv, _ := m.LabelVector("ket-hon")
	if !slices.Equal(dv, lv) {
		t.Error("DocumentVector of a known code is not its label vector")
	}
	dv, _ = DocumentVector(ctx, m, "new-code", "làm hộ chiếu")
	if !slices.Equal(dv, v1) {
		t.Error("DocumentVector of an unknown code is not the card's embedding")
	}
}

func TestLoadTrainedRejects(t *testing.T) {
	m := trainToy(t)
	var buf bytes.Buffer
	m.WriteTo(&buf)
	good := buf.Bytes()
	for name, data := range map[string][]byte{
		"empty":     nil,
		"magic":     append([]byte("XXXX"), good[4:]...),
		"version":   append(append([]byte("TTEM"), 9, 0, 0, 0), good[8:]...),
		"truncated": good[:len(good)-10],
		"trailing":  append(slices.Clone(good), 1),
	} {
		if _, err := LoadTrained(data); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}

func FuzzLoadTrained(f *testing.F) {
	m, err := Train(toyExamples(), TrainOptions{Dim: 4, Epochs: 1, MinCount: 1}, ModelInfo{})
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	m.WriteTo(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte("TTEM"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := LoadTrained(data)
		if err != nil {
			return
		}
		m.Vector("làm hộ chiếu") // must not panic
	})
}

func TestFeatures(t *testing.T) {
	acc, folded := Features("Hộ chiếu"), Features("ho chieu")
	for _, f := range folded {
		if !slices.Contains(acc, f) {
			t.Fatalf("every feature of the folded text must be a feature of the accented one: %v, %v", folded, acc)
		}
	}
	if len(acc) <= len(folded) {
		t.Error("the accented text must add accented features")
	}
	if !slices.Equal(Features("hoà bình"), Features("hòa bình")) {
		t.Error("tone placement changes the features")
	}
}

func BenchmarkTrainedEmbedQuery(b *testing.B) {
	m, err := Train(toyExamples(), TrainOptions{Dim: 64, Epochs: 1, MinCount: 1}, ModelInfo{})
	if err != nil {
		b.Fatal(err)
	}
	q := "bố tôi mới mất, nhà có mảnh đất đứng tên bố, giờ anh em muốn sang tên thì làm thế nào"
	for b.Loop() {
		m.Vector(q)
	}
}
