package aks

import (
	"testing"

	"github.com/patchsim/patchsim/fleet"
	"github.com/stretchr/testify/assert"
)

func TestParseNodeCount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    fleet.Quantity
		wantErr string
		canon   string // String() when it differs from in
	}{
		{in: "0", want: fleet.Nodes(0)},
		{in: "5", want: fleet.Nodes(5)},
		{in: "1000", want: fleet.Nodes(1000)},
		{in: "0%", want: fleet.Percent(0)},
		{in: "33%", want: fleet.Percent(33)},
		{in: "100%", want: fleet.Percent(100)},
		{in: "05", want: fleet.Nodes(5), canon: "5"},
		{in: "007%", want: fleet.Percent(7), canon: "7%"},
		{in: "1001", wantErr: "count out of range"},
		{in: "101%", wantErr: "percentage out of range"},
		{in: "", wantErr: "want a node count"},
		{in: "%", wantErr: "want a node count"},
		{in: "-1", wantErr: "want a node count"},
		{in: "+1", wantErr: "want a node count"},
		{in: " 5", wantErr: "want a node count"},
		{in: "5 %", wantErr: "want a node count"},
		{in: "2.5", wantErr: "want a node count"},
		{in: "50%%", wantErr: "want a node count"},
		{in: "10000", wantErr: "want a node count"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, msg := parseNodeCount(tc.in)
			if tc.wantErr != "" {
				assert.Contains(t, msg, tc.wantErr)
				return
			}
			assert.Empty(t, msg)
			assert.Equal(t, tc.want, got)
			canon := tc.in
			if tc.canon != "" {
				canon = tc.canon
			}
			assert.Equal(t, canon, got.String())
		})
	}
}
