package aks

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// TestParseImageVersionReal covers every real value listed in
// reference/aks.md section 5, and Windows versions from section 1.5.
func TestParseImageVersionReal(t *testing.T) {
	t.Parallel()
	linux := func(gallery, def, ver string, built time.Time, rebuild int) ImageVersion {
		return ImageVersion{Gallery: gallery, Definition: def, Version: ver, OS: "Linux", Built: built, Rebuild: rebuild}
	}
	windows := func(def, ver string, built time.Time) ImageVersion {
		return ImageVersion{Gallery: "AKSWindows", Definition: def, Version: ver, OS: "Windows", Built: built}
	}
	patched := func(v ImageVersion, p time.Time) ImageVersion { v.SecurityPatch = p; return v }
	tests := []struct {
		in   string
		want ImageVersion
	}{
		{"AKSUbuntu-2204gen2containerd-202410.27.0-2024.12.01", patched(linux("AKSUbuntu", "2204gen2containerd", "202410.27.0", day(2024, 10, 27), 0), day(2024, 12, 1))},
		{"AKSUbuntu-2204gen2containerd-202505.09.0-2025.06.02", patched(linux("AKSUbuntu", "2204gen2containerd", "202505.09.0", day(2025, 5, 9), 0), day(2025, 6, 2))},
		{"AKSUbuntu-2204gen2containerd-202405.27.0", linux("AKSUbuntu", "2204gen2containerd", "202405.27.0", day(2024, 5, 27), 0)},
		{"AKSUbuntu-2204gen2containerd-202602.13.5", linux("AKSUbuntu", "2204gen2containerd", "202602.13.5", day(2026, 2, 13), 5)},
		{"AKSAzureLinux-V3gen2-202602.13.5", linux("AKSAzureLinux", "V3gen2", "202602.13.5", day(2026, 2, 13), 5)},
		{"AKSUbuntu-2204gen2containerd-202307.12.0", linux("AKSUbuntu", "2204gen2containerd", "202307.12.0", day(2023, 7, 12), 0)},
		{"AKSUbuntu-2204gen2arm64containerd-202307.12.0", linux("AKSUbuntu", "2204gen2arm64containerd", "202307.12.0", day(2023, 7, 12), 0)},
		{"AKSUbuntu-2204gen2arm64containerd-202308.10.0", linux("AKSUbuntu", "2204gen2arm64containerd", "202308.10.0", day(2023, 8, 10), 0)},
		{"AKSUbuntu-2204gen2containerd-202309.06.0", linux("AKSUbuntu", "2204gen2containerd", "202309.06.0", day(2023, 9, 6), 0)},
		{"AKSUbuntu-2204gen2containerd-202404.16.0", linux("AKSUbuntu", "2204gen2containerd", "202404.16.0", day(2024, 4, 16), 0)},
		{"AKSUbuntu-2204gen2containerd-202402.26.0", linux("AKSUbuntu", "2204gen2containerd", "202402.26.0", day(2024, 2, 26), 0)},
		{"AKSUbuntu-1804gen2containerd-2022.04.19", linux("AKSUbuntu", "1804gen2containerd", "2022.04.19", day(2022, 4, 19), 0)},
		{"AKSUbuntu-2004cvmcontainerd-202507.02.0", linux("AKSUbuntu", "2004cvmcontainerd", "202507.02.0", day(2025, 7, 2), 0)},
		{"AKSAzureLinux-V2gen2-202502.26.0", linux("AKSAzureLinux", "V2gen2", "202502.26.0", day(2025, 2, 26), 0)},
		{"AKSWindows-2022-containerd-20348.3207.250214", windows("2022-containerd", "20348.3207.250214", day(2025, 2, 14))},
		{"AKSWindows-23H2-gen2-25398.1425.250214", windows("23H2-gen2", "25398.1425.250214", day(2025, 2, 14))},
		{"AKSWindows-2022-containerd-20348.2227.240110", windows("2022-containerd", "20348.2227.240110", day(2024, 1, 10))},
		{"AKSWindows-2022-containerd-20348.4529.251212", windows("2022-containerd", "20348.4529.251212", day(2025, 12, 12))},
		{"AKSFlatcar-flatcargen2-202508.06.0", linux("AKSFlatcar", "flatcargen2", "202508.06.0", day(2025, 8, 6), 0)},
		{"AKSAzureContainerLinux-202606.01.0", linux("AKSAzureContainerLinux", "", "202606.01.0", day(2026, 6, 1), 0)},
		{"AKSUbuntu-2404-202601.27.0", linux("AKSUbuntu", "2404", "202601.27.0", day(2026, 1, 27), 0)},
		{"AKSUbuntu-2204gen2containerd-202401.17.1", linux("AKSUbuntu", "2204gen2containerd", "202401.17.1", day(2024, 1, 17), 1)},
		{"AKSUbuntu-2204gen2containerd-202510.03.1", linux("AKSUbuntu", "2204gen2containerd", "202510.03.1", day(2025, 10, 3), 1)},
		{"AKSUbuntu-2204gen2containerd-202303.06.0", linux("AKSUbuntu", "2204gen2containerd", "202303.06.0", day(2023, 3, 6), 0)},
		// An old-format version with a security-patch suffix: the trailing
		// date is the suffix because a version precedes it.
		{"AKSUbuntu-1804gen2containerd-2022.04.19-2022.05.02", patched(linux("AKSUbuntu", "1804gen2containerd", "2022.04.19", day(2022, 4, 19), 0), day(2022, 5, 2))},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseImageVersion(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.in, got.String())
		})
	}
}

func TestParseImageVersionErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, msg string }{
		{"", "empty part"},
		{"AKSUbuntu", "no version"},
		{"AKSUbuntu-2204gen2containerd-", "empty part"},
		{"AKSUbuntu--202410.27.0", "empty part"},
		{"Ubuntu-2204gen2containerd-202410.27.0", `gallery must start with "AKS"`},
		{"AKS-2204-202410.27.0", `gallery must start with "AKS"`},
		{"AKSUbuntu-2204gen2containerd-latest", `bad Linux version "latest"`},
		{"AKSUbuntu-2204gen2containerd-202413.01.0", `bad Linux version "202413.01.0"`},
		{"AKSUbuntu-2204gen2containerd-202402.30.0", `bad Linux version "202402.30.0"`},
		{"AKSUbuntu-2204gen2containerd-202410.27", `bad Linux version "202410.27"`},
		{"AKSUbuntu-2204gen2containerd-202410.27.0-2024.13.01", `bad security-patch date "2024.13.01"`},
		{"AKSUbuntu-2204gen2containerd-202410.27.0-extra", `bad security-patch date "extra"`},
		{"AKSUbuntu-2204gen2containerd-1999.12.31", `bad Linux version "1999.12.31"`},
		{"AKSUbuntu-2204gen2containerd-20348.3207.250214", `bad Linux version "20348.3207.250214"`},
		{"AKSWindows-2022-containerd-202410.27.0", `bad Windows version "202410.27.0"`},
		{"AKSWindows-2022-containerd-20348.3207.251314", `bad Windows version "20348.3207.251314"`},
		{"AKSWindows-2022-containerd-20348.3207.250214-2025.03.01", "SecurityPatch isn't supported on Windows"},
		{"AKSUbuntu-2204_gen2-202410.27.0", `bad definition part "2204_gen2"`},
		{"AKSUbuntu-2204.gen2-202410.27.0", `bad definition part "2204.gen2"`},
		{"AKSUbuntu-2204gen2containerd-+02410.27.0", `bad Linux version`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			_, err := ParseImageVersion(tc.in)
			require.Error(t, err)
			var e *Error
			require.True(t, errors.As(err, &e))
			assert.Contains(t, e.Msg, tc.msg)
			assert.Contains(t, err.Error(), `aks: "`+tc.in+`"`)
		})
	}
}
