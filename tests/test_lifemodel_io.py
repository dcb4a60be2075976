"""LifeModels cross process boundaries (pickle, for the runner's pool) and files (JSON) unchanged."""

import pickle

from reliability.models import LifeModel


def test_lifemodel_pickles_to_an_equal_model():
    m = LifeModel.weibull(1.2, 3e5, covariance=((1e-3, 0.0), (0.0, 1e6)), provenance={"file": "x.csv"})
    back = pickle.loads(pickle.dumps(m))
    assert back == m
    assert back.sf(1e5) == m.sf(1e5)


def test_json_round_trip_equal_with_tuples_in_provenance():
    # provenance is stored as JSON gives it back (tuples become lists), so load(save(m)) == m
    m = LifeModel.weibull(1.1, 2e5, provenance={"temperatures": (85, 105), "nested": {"k": (1,)}})
    assert LifeModel.from_json(m.to_json()) == m
