"""What reads the published warehouse: the dashboards, the LookML views and the renewal model (train). May
import the pipeline (its contract), never devtools/."""
